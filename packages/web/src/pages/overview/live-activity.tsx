import type { LiveUpdate, TraceSummary } from '@switchyard/shared';
import { BreakableName } from '../../components/breakable-name.js';
import { formatCount, formatMs, formatShortTime, formatUsd } from '../../lib/format.js';
import { Link } from '../../router.js';

export type LiveObservation = LiveUpdate['observations'][number];

/** One line of the live activity: a call or step from the feed, or a trace read on load. */
export type ActivityRow = {
  id: string;
  traceId: string;
  startTime: string;
  what: string;
  status: string;
  latencyMs: number | null;
  tokens: number;
  costUsd: number | null;
};

export function activityOfObservation(observation: LiveObservation): ActivityRow {
  return {
    id: observation.id,
    traceId: observation.traceId,
    startTime: observation.startTime,
    what: observation.model ?? observation.name ?? observation.type,
    status: observation.status,
    latencyMs: observation.latencyMs,
    tokens: observation.inputTokens + observation.outputTokens,
    costUsd: observation.costUsd,
  };
}

export function activityOfTrace(trace: TraceSummary): ActivityRow {
  return {
    id: trace.id,
    traceId: trace.id,
    startTime: trace.startTime,
    what: trace.models.join(', ') || trace.name || 'trace',
    status: trace.status,
    latencyMs: trace.latencyMs,
    tokens: trace.inputTokens + trace.outputTokens,
    costUsd: trace.costUsd,
  };
}

/**
 * What the feed brought (newest first), then the traces read on load that the feed has not
 * brought again: a call committed while the page loaded can come both ways, and shows once.
 */
export function mergeActivity(options: { live: ActivityRow[]; loaded: ActivityRow[]; limit: number }): ActivityRow[] {
  const seenTraces = new Set(options.live.map((row) => row.traceId));
  const loaded = options.loaded.filter((row) => !seenTraces.has(row.traceId));
  return [...options.live, ...loaded].slice(0, options.limit);
}

/** The newest calls and steps: the latest on load, then each as it is committed. */
export function LiveActivity({ rows, loading }: { rows: ActivityRow[]; loading: boolean }) {
  return (
    <section className="card" aria-live="polite" aria-label="Live activity">
      {rows.length === 0 ? (
        <p className="muted small">
          {loading
            ? 'Loading the latest calls…'
            : 'New calls and steps appear here as they are recorded, without reloading.'}
        </p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What</th>
                <th scope="col">Status</th>
                <th scope="col" className="number optional">
                  Latency
                </th>
                <th scope="col" className="number minor">
                  Tokens
                </th>
                <th scope="col" className="number">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.id} data-testid="live-row">
                  <td>{formatShortTime(row.startTime)}</td>
                  <td className="wrap">
                    <Link to={`/requests/${encodeURIComponent(row.traceId)}`}>
                      <BreakableName text={row.what} />
                    </Link>
                  </td>
                  <td>
                    <span className={`badge ${row.status}`}>{row.status}</span>
                  </td>
                  <td className="number optional">{formatMs(row.latencyMs)}</td>
                  <td className="number minor">{formatCount(row.tokens)}</td>
                  <td className="number">{row.costUsd === null ? '—' : formatUsd(row.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
