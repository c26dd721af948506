import { useOrgModels } from '../api/use-models.js';
import { CodeBlock } from '../components/copy-button.js';
import { snippetsFor } from '../lib/snippets.js';
import { Link } from '../router.js';

/** The first model of a provider the operator or the org configured, else the mock's echo. */
function firstAnsweringModel(models: Array<{ id: string; kind: string }> | undefined): string {
  const configured = models?.find((model) => model.kind === 'model' && !model.id.startsWith('mock/'));
  return configured?.id ?? 'mock/echo';
}

export default function GettingStartedPage() {
  const models = useOrgModels();
  const model = firstAnsweringModel(models.data?.data);
  const snippets = snippetsFor(window.location.origin, model);
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
