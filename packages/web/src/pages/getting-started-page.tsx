import { CodeBlock } from '../components/copy-button.js';
import { snippetsFor } from '../lib/snippets.js';
import { Link } from '../router.js';

export default function GettingStartedPage() {
  const snippets = snippetsFor(window.location.origin);
  return (
    <>
      <div className="page-header">
        <h1>Getting started</h1>
      </div>
      <ol className="stack">
        <li>
          <strong>Create an API key</strong> on the <Link to="/keys">API keys</Link> page and keep it as{' '}
          <code>SWITCHYARD_API_KEY</code>. It is shown once.
        </li>
        <li>
          <strong>Send a request through the gateway.</strong> <code>mock/echo</code> answers without any provider key;{' '}
          <code>openai/…</code>, <code>anthropic/…</code>, <code>gemini/…</code> and <code>groq/…</code> use the
          server's provider keys or the ones you add under <Link to="/providers">Providers & routes</Link>.
          <CodeBlock label="curl" code={snippets.curl} />
          <CodeBlock label="openai SDK (Node)" code={snippets.openaiNode} />
          <CodeBlock label="openai SDK (Python)" code={snippets.openaiPython} />
        </li>
        <li>
          <strong>Or record calls your app makes directly</strong> with <code>@switchyard/sdk</code> (traces, agent
          steps, scores):
          <CodeBlock label="@switchyard/sdk" code={snippets.sdk} />
        </li>
        <li>
          <strong>Or export OpenTelemetry spans</strong>: any GenAI instrumentation (and the Vercel AI SDK) works.
          <CodeBlock label="OTLP environment" code={snippets.otlp} />
        </li>
        <li>
          Watch them arrive on the <Link to="/overview">Overview</Link> and in <Link to="/requests">Requests</Link>, or
          try models in the <Link to="/playground">Playground</Link>. The whole API is in the{' '}
          <a href="/docs">API reference</a>.
        </li>
      </ol>
    </>
  );
}
