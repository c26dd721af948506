import type { Observation } from '@switchyard/shared';
import { formatMs } from '../../lib/format.js';

type Row = { observation: Observation; depth: number };

/** Parents before children, siblings by start time; an unknown parent makes an observation a root. */
export function treeOrder(observations: Observation[]): Row[] {
  const ids = new Set(observations.map((observation) => observation.id));
  const children = new Map<string | null, Observation[]>();
  for (const observation of observations) {
    const parent = observation.parentId && ids.has(observation.parentId) ? observation.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), observation]);
  }
  const rows: Row[] = [];
  const visit = (parent: string | null, depth: number) => {
    const siblings = (children.get(parent) ?? []).sort((first, second) =>
      first.startTime.localeCompare(second.startTime),
    );
    for (const observation of siblings) {
      rows.push({ observation, depth });
      visit(observation.id, depth + 1);
    }
  };
  visit(null, 0);
  return rows;
}

function endOf(observation: Observation): number {
  const start = Date.parse(observation.startTime);
  if (observation.endTime) return Date.parse(observation.endTime);
  return start + (observation.latencyMs ?? 0);
}

/** The trace's observations as a tree, each with a bar placed on the trace's timeline. */
export function Waterfall({
  observations,
  selectedId,
  onSelect,
}: {
  observations: Observation[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}) {
  const rows = treeOrder(observations);
  const start = Math.min(...observations.map((observation) => Date.parse(observation.startTime)));
  const end = Math.max(...observations.map(endOf));
  const span = Math.max(end - start, 1);
  return (
    <ul className="waterfall" aria-label="Trace timeline">
      {rows.map(({ observation, depth }) => {
        const offset = ((Date.parse(observation.startTime) - start) / span) * 100;
        const width = ((endOf(observation) - Date.parse(observation.startTime)) / span) * 100;
        return (
          <li key={observation.id}>
            <button
              type="button"
              aria-pressed={observation.id === selectedId}
              onClick={() => onSelect(observation.id)}
              data-testid="waterfall-row"
            >
              <span style={{ paddingLeft: `${depth * 1.1}rem` }}>
                <span className="badge">{observation.type}</span> {observation.name ?? observation.model ?? '—'}
              </span>
              <span className="bar-track">
                <span
                  className="bar"
                  data-status={observation.status}
                  style={{ left: `${offset}%`, width: `${Math.max(width, 0.5)}%` }}
                />
              </span>
              <span className="small muted">{formatMs(observation.latencyMs)}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
