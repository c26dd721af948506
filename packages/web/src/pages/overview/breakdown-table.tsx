import type { MetricsResponse } from '@switchyard/shared';
import { BreakableName } from '../../components/breakable-name.js';
import { formatCount, formatMs, formatPercent, formatUsd } from '../../lib/format.js';

type Row = {
  group: string;
  requests: number;
  errors: number;
  tokens: number;
  costUsd: number;
  /** Mean latency weighted by requests: quantiles of groups cannot be added up across buckets. */
  latencySum: number;
  timedRequests: number;
};

function rowsOf(points: MetricsResponse['points']): Row[] {
  const rows = new Map<string, Row>();
  for (const point of points) {
    const group = point.group ?? '—';
    const row = rows.get(group) ?? {
      group,
      requests: 0,
      errors: 0,
      tokens: 0,
      costUsd: 0,
      latencySum: 0,
      timedRequests: 0,
    };
    row.requests += point.requests;
    row.errors += point.errors;
    row.tokens += point.inputTokens + point.outputTokens;
    row.costUsd += point.costUsd;
    if (point.latencyMs.avg !== null) {
      row.latencySum += point.latencyMs.avg * point.requests;
      row.timedRequests += point.requests;
    }
    rows.set(group, row);
  }
  return [...rows.values()].sort((first, second) => second.costUsd - first.costUsd || second.requests - first.requests);
}

/** Requests, errors, tokens, cost and mean latency per provider, model or key over the range. */
export function BreakdownTable({
  title,
  points,
  labelOf = (group) => group,
}: {
  title: string;
  points: MetricsResponse['points'];
  labelOf?: (group: string) => string;
}) {
  const rows = rowsOf(points);
  return (
    <section className="card">
      <h3>{title}</h3>
      {rows.length === 0 ? (
        <p className="muted small">No calls in this range.</p>
      ) : (
        <div className="table-wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">{title.replace(/^By /, '')}</th>
                <th scope="col" className="number">
                  Requests
                </th>
                <th scope="col" className="number">
                  Errors
                </th>
                <th scope="col" className="number minor">
                  Tokens
                </th>
                <th scope="col" className="number">
                  Cost
                </th>
                <th scope="col" className="number optional">
                  Avg latency
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={row.group}>
                  <td className="mono wrap">
                    <BreakableName text={labelOf(row.group)} />
                  </td>
                  <td className="number">{formatCount(row.requests)}</td>
                  <td className="number">{formatPercent(row.errors, row.requests)}</td>
                  <td className="number minor">{formatCount(row.tokens)}</td>
                  <td className="number">{formatUsd(row.costUsd)}</td>
                  <td className="number optional">
                    {formatMs(row.timedRequests ? row.latencySum / row.timedRequests : null)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
