import type { LiveUpdate } from '@switchyard/shared';
import { formatCount, formatMs, formatShortTime, formatUsd } from '../../lib/format.js';
import { Link } from '../../router.js';

export type LiveObservation = LiveUpdate['observations'][number];

/** The newest calls and steps, as they are committed. */
export function LiveActivity({ observations }: { observations: LiveObservation[] }) {
  return (
    <section className="card" aria-live="polite" aria-label="Live activity">
      {observations.length === 0 ? (
        <p className="muted small">New calls and steps appear here as they are recorded, without reloading.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Time</th>
                <th scope="col">What</th>
                <th scope="col">Status</th>
                <th scope="col" className="number">
                  Latency
                </th>
                <th scope="col" className="number">
                  Tokens
                </th>
                <th scope="col" className="number">
                  Cost
                </th>
              </tr>
            </thead>
            <tbody>
              {observations.map((observation) => (
                <tr key={observation.id} data-testid="live-row">
                  <td>{formatShortTime(observation.startTime)}</td>
                  <td>
                    <Link to={`/requests/${encodeURIComponent(observation.traceId)}`}>
                      {observation.model ?? observation.name ?? observation.type}
                    </Link>
                  </td>
                  <td>
                    <span className={`badge ${observation.status}`}>{observation.status}</span>
                  </td>
                  <td className="number">{formatMs(observation.latencyMs)}</td>
                  <td className="number">{formatCount(observation.inputTokens + observation.outputTokens)}</td>
                  <td className="number">{observation.costUsd === null ? '—' : formatUsd(observation.costUsd)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
