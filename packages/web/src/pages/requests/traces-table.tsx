import type { TraceSort, TraceSummary } from '@switchyard/shared';
import { BreakableName } from '../../components/breakable-name.js';
import { formatCount, formatDateTime, formatMs, formatUsd } from '../../lib/format.js';
import { navigate } from '../../router.js';

const SORTS = ['startTime', 'latencyMs', 'tokens', 'costUsd'] as const;
export type SortColumn = (typeof SORTS)[number];
export type Sort = { column: SortColumn; descending: boolean };

/** The URL's `sort` (the API's: `-costUsd` is cost, descending); newest first when absent. */
export function parseSort(value: string | null): Sort {
  const descending = !value || value.startsWith('-');
  const column = (value ?? 'startTime').replace(/^-/, '') as SortColumn;
  return SORTS.includes(column) ? { column, descending } : { column: 'startTime', descending: true };
}

export function formatSort(sort: Sort): TraceSort {
  return `${sort.descending ? '-' : ''}${sort.column}` as TraceSort;
}

function SortHeader({
  column,
  label,
  sort,
  onSort,
  numeric = false,
  priority,
}: {
  column: SortColumn;
  label: string;
  sort: Sort;
  onSort: (sort: Sort) => void;
  numeric?: boolean;
  /** A column that hides when the table is narrow (styles.css, Tables). */
  priority?: 'extra' | 'optional' | 'minor';
}) {
  const active = sort.column === column;
  return (
    <th
      scope="col"
      className={[numeric ? 'number' : '', priority ?? ''].join(' ').trim() || undefined}
      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className="sort"
        onClick={() => onSort({ column, descending: active ? !sort.descending : true })}
      >
        {label} {active ? (sort.descending ? '↓' : '↑') : ''}
      </button>
    </th>
  );
}

export function TracesTable({
  traces,
  sort,
  onSort,
}: {
  traces: TraceSummary[];
  sort: Sort;
  onSort: (sort: Sort) => void;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            <SortHeader column="startTime" label="Time" sort={sort} onSort={onSort} />
            <th scope="col">Name</th>
            <th scope="col">Model</th>
            <th scope="col">Status</th>
            <SortHeader column="latencyMs" label="Latency" sort={sort} onSort={onSort} numeric priority="optional" />
            <SortHeader column="tokens" label="Tokens" sort={sort} onSort={onSort} numeric priority="minor" />
            <SortHeader column="costUsd" label="Cost" sort={sort} onSort={onSort} numeric />
            <th scope="col" className="extra">
              User
            </th>
          </tr>
        </thead>
        <tbody>
          {traces.map((trace) => {
            const href = `/requests/${encodeURIComponent(trace.id)}`;
            return (
              <tr key={trace.id} className="clickable" onClick={() => navigate(href)} data-testid="trace-row">
                <td>
                  <a
                    href={href}
                    onClick={(event) => {
                      if (event.button === 0 && !event.metaKey && !event.ctrlKey) event.preventDefault();
                    }}
                  >
                    {formatDateTime(trace.startTime)}
                  </a>
                </td>
                <td className="wrap">{trace.name ?? <span className="muted">—</span>}</td>
                <td className="mono wrap">
                  {trace.models.length > 0 ? <BreakableName text={trace.models.join(', ')} /> : '—'}
                </td>
                <td>
                  <span className={`badge ${trace.status}`}>{trace.status}</span>
                </td>
                <td className="number optional">{formatMs(trace.latencyMs)}</td>
                <td className="number minor">{formatCount(trace.inputTokens + trace.outputTokens)}</td>
                <td className="number">{trace.costUsd === null ? '—' : formatUsd(trace.costUsd)}</td>
                <td className="extra">{trace.userId ?? ''}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
