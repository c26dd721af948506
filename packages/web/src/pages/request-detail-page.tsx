import type { TraceDetail } from '@switchyard/shared';
import { ApiError } from '../api/client.js';
import { useTrace } from '../api/use-traces.js';
import { EmptyState, QueryState } from '../components/data-state.js';
import { formatCount, formatDateTime, formatMs, formatUsd } from '../lib/format.js';
import { Link, useSearchParams } from '../router.js';
import { ChatView } from './request-detail/chat-view.js';
import { ObservationPanel } from './request-detail/observation-panel.js';
import { treeOrder, Waterfall } from './request-detail/waterfall.js';

function TraceView({ trace }: { trace: TraceDetail }) {
  const [params, setParams] = useSearchParams();
  const ordered = treeOrder(trace.observations);
  const selectedId = params.get('observation') ?? ordered[0]?.observation.id ?? null;
  const selected = trace.observations.find((observation) => observation.id === selectedId);
  const facts: Array<[string, string]> = [
    ['Started', formatDateTime(trace.startTime)],
    ['Latency', formatMs(trace.latencyMs)],
    ['Tokens', `${formatCount(trace.inputTokens)} in · ${formatCount(trace.outputTokens)} out`],
    ['Cost', trace.costUsd === null ? '—' : formatUsd(trace.costUsd)],
    ['User', trace.userId ?? '—'],
    ['Session', trace.sessionId ?? '—'],
    ['Tags', trace.tags.join(', ') || '—'],
  ];
  return (
    <>
      <div className="page-header">
        <div>
          <p className="small">
            <Link to="/requests">← Requests</Link>
          </p>
          <h1>
            {trace.name ?? (trace.models.join(', ') || 'Trace')}{' '}
            <span className={`badge ${trace.status}`}>{trace.status}</span>
          </h1>
          <p className="muted small mono">{trace.id}</p>
        </div>
      </div>
      <dl className="facts card">
        {facts.map(([label, value]) => (
          <div key={label} style={{ display: 'contents' }}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {trace.scores.length > 0 && (
        <>
          <h2>Scores</h2>
          <ul>
            {trace.scores.map((score) => (
              <li key={score.id}>
                <strong>{score.name}</strong>: {score.value} <span className="muted small">({score.source})</span>
                {score.comment && <span className="muted"> — {score.comment}</span>}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Timeline</h2>
      {trace.observations.length === 0 ? (
        <p className="muted">This trace has no observations yet.</p>
      ) : (
        <div className="card">
          <Waterfall
            observations={trace.observations}
            selectedId={selectedId}
            onSelect={(id) => setParams({ observation: id })}
          />
        </div>
      )}
      <div className="detail-grid" style={{ marginTop: '1rem' }}>
        {selected && <ObservationPanel observation={selected} />}
        {(trace.input !== null || trace.output !== null) && (
          <section className="card stack" aria-label="Trace input and output">
            <h2>Trace input</h2>
            <ChatView value={trace.input} speaker="user" />
            <h2>Trace output</h2>
            <ChatView value={trace.output} speaker="assistant" />
          </section>
        )}
      </div>
      <details className="card" style={{ marginTop: '1rem' }}>
        <summary>Raw JSON of the trace</summary>
        <pre>{JSON.stringify(trace, null, 2)}</pre>
      </details>
    </>
  );
}

export default function RequestDetailPage({ params }: { params: Record<string, string> }) {
  const id = params.id ?? '';
  const trace = useTrace(id);
  if (trace.error instanceof ApiError && trace.error.status === 404) {
    return (
      <EmptyState title="No such request in this organization">
        <p>
          It may still be on its way (records are written within a second), or belong to another org.{' '}
          <Link to="/requests">Back to requests</Link>
        </p>
      </EmptyState>
    );
  }
  return (
    <QueryState query={trace} label="Loading the request…">
      {(data) => <TraceView trace={data} />}
    </QueryState>
  );
}
