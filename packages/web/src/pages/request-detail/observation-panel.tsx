import type { Observation } from '@switchyard/shared';
import { formatCount, formatDateTime, formatMs, formatProvider, formatUsd } from '../../lib/format.js';
import { ChatView } from './chat-view.js';

/** Everything recorded about one call or step: numbers first, then the conversation, then raw JSON. */
export function ObservationPanel({ observation }: { observation: Observation }) {
  const facts: Array<[string, string | number | null]> = [
    ['Type', observation.type],
    ['Model', observation.model],
    ['Provider', observation.provider === null ? null : formatProvider(observation.provider)],
    ['Status', observation.statusCode ? `${observation.status} (${observation.statusCode})` : observation.status],
    ['Started', formatDateTime(observation.startTime)],
    ['Latency', formatMs(observation.latencyMs)],
    ['Time to first token', formatMs(observation.ttftMs)],
    ['Input tokens', formatCount(observation.inputTokens)],
    ['Cached input tokens', formatCount(observation.cachedInputTokens)],
    ['Output tokens', formatCount(observation.outputTokens)],
    ['Cost', observation.costUsd === null ? '—' : formatUsd(observation.costUsd)],
    ['Attempts', observation.attempts],
    ['Cache', observation.cacheStatus],
    ['Source', observation.source],
    // An OpenTelemetry span of a call that went through the gateway: its tokens and cost are the record's.
    ['Counted by', observation.duplicateOf ? `gateway record ${observation.duplicateOf}` : null],
  ];
  return (
    <section className="card stack" aria-label="Selected step">
      <h2>{observation.name ?? observation.model ?? observation.type}</h2>
      {observation.error && (
        <p className="error-box" role="alert">
          {observation.error}
        </p>
      )}
      <dl className="facts">
        {facts
          .filter(([, value]) => value !== null && value !== '')
          .map(([label, value]) => (
            <div key={label} style={{ display: 'contents' }}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
      </dl>
      <h3>Input</h3>
      <ChatView value={observation.input} speaker="user" />
      <h3>Output</h3>
      <ChatView value={observation.output} speaker="assistant" />
      <details>
        <summary>Raw JSON</summary>
        <pre>{JSON.stringify(observation, null, 2)}</pre>
      </details>
    </section>
  );
}
