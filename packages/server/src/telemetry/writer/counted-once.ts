import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { type ObservationSource, observations } from '../../db/telemetry-schema.js';
import type { ObservationRecord } from '../records.js';
import { selectByValues } from './bulk-select.js';

/**
 * One model call can be recorded twice: by the gateway, and by the caller's OpenTelemetry
 * instrumentation as a generation span (with the same tokens) whose `traceparent` the gateway call
 * carried. The gateway's record is the one that counts, since the gateway saw the upstream's usage
 * and priced it; the span keeps its tokens for display, is marked `duplicateOf` the record, and adds
 * nothing to totals or rollups. Either can arrive first, so both writers decide it for the trace.
 */

/** What deciding needs of an observation: where it sits in its trace and who recorded it. */
type Link = {
  id: string;
  parentId: string | null;
  type: string;
  source: ObservationSource;
  duplicateOf: string | null;
};

/**
 * Plain spans climbed from a gateway record's parent to the generation it repeats: the HTTP
 * instrumentation's client span usually sits between the generation and the request it sent.
 */
const MAX_SPANS_BETWEEN = 4;

const keyOf = (orgId: string, id: string) => `${orgId}\u0000${id}`;

/** Per generation span repeated by a gateway record, that record's id (the first, if several). */
export function duplicatesIn(links: Iterable<Link>): Map<string, string> {
  const byId = new Map<string, Link>();
  for (const link of links) byId.set(link.id, link);
  const duplicates = new Map<string, string>();
  const gatewayRecords = [...byId.values()].filter((link) => link.source === 'gateway' && link.parentId);
  for (const record of gatewayRecords.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    let node = record.parentId ? byId.get(record.parentId) : undefined;
    for (let hops = 0; node?.type === 'span' && hops < MAX_SPANS_BETWEEN; hops += 1)
      node = node.parentId ? byId.get(node.parentId) : undefined;
    if (node?.type === 'generation' && node.source !== 'gateway' && !duplicates.has(node.id))
      duplicates.set(node.id, record.id);
  }
  return duplicates;
}

/** The traces, per org, of gateway records that name a parent span: only those can hold a duplicate. */
export function tracesOfLinkedRecords(records: readonly ObservationRecord[]): Map<string, Set<string>> {
  const traces = new Map<string, Set<string>>();
  for (const record of records)
    if ((record.source ?? 'gateway') === 'gateway' && record.parentId) addTo(traces, record.orgId, record.traceId);
  return traces;
}

/** Of the traces these observations are in, per org, those holding a gateway record that names a parent. */
export async function tracesCountedByGateway(
  tx: Database,
  records: readonly ObservationRecord[],
): Promise<Map<string, Set<string>>> {
  const touched = new Map<string, Set<string>>();
  for (const record of records) addTo(touched, record.orgId, record.traceId);
  const linked = new Map<string, Set<string>>();
  for (const [orgId, traceIds] of touched) {
    // One index probe per trace, by (org_id, trace_id), as selectByValues does (`offset 0` keeps it so).
    const result = (await tx.execute(sql`
      select wanted.value as "traceId" from json_array_elements_text(${JSON.stringify([...traceIds])}::json) as wanted(value)
      where exists (
        select 1 from observations o
        where o.org_id = ${orgId} and o.trace_id = wanted.value and o.source = 'gateway' and o.parent_id is not null
        offset 0
      )`)) as { rows: Array<{ traceId: string }> };
    for (const row of result.rows) addTo(linked, orgId, row.traceId);
  }
  return linked;
}

/**
 * Decides which observations of the traces are duplicates of a gateway record. Those this
 * transaction writes (`writing`) are marked in place; stored ones whose mark changes come back as
 * before/after pairs, to be written and taken out of (or put back into) the rollups.
 */
export async function countOnce(options: {
  tx: Database;
  writing: readonly ObservationRecord[];
  traces: ReadonlyMap<string, ReadonlySet<string>>;
}): Promise<Array<{ before: ObservationRecord; after: ObservationRecord }>> {
  const { tx } = options;
  const writing = new Map(options.writing.map((record) => [keyOf(record.orgId, record.id), record]));
  const restated: Array<{ before: ObservationRecord; after: ObservationRecord }> = [];
  for (const [orgId, traceIds] of options.traces) {
    if (traceIds.size === 0) continue;
    const links = new Map<string, Link>();
    for (const link of await storedLinks(tx, orgId, traceIds)) links.set(link.id, link);
    for (const record of writing.values())
      if (record.orgId === orgId && traceIds.has(record.traceId))
        links.set(record.id, {
          id: record.id,
          parentId: record.parentId ?? null,
          type: record.type,
          source: record.source ?? 'gateway',
          duplicateOf: record.duplicateOf ?? null,
        });
    const duplicates = duplicatesIn(links.values());
    const changed = new Map<string, string | null>();
    for (const link of links.values()) {
      const duplicateOf = duplicates.get(link.id) ?? null;
      const written = writing.get(keyOf(orgId, link.id));
      if (written) written.duplicateOf = duplicateOf;
      else if (link.duplicateOf !== duplicateOf) changed.set(link.id, duplicateOf);
    }
    if (changed.size === 0) continue;
    const rows = await selectByValues({
      db: tx,
      table: observations,
      orgId,
      column: observations.id,
      values: changed.keys(),
    });
    for (const row of rows) {
      const before = row as ObservationRecord;
      restated.push({ before, after: { ...before, duplicateOf: changed.get(row.id) ?? null } });
    }
  }
  return restated;
}

async function storedLinks(tx: Database, orgId: string, traceIds: ReadonlySet<string>): Promise<Link[]> {
  const result = (await tx.execute(sql`
    select o.id, o.parent_id as "parentId", o.type, o.source, o.duplicate_of as "duplicateOf"
    from json_array_elements_text(${JSON.stringify([...traceIds])}::json) as wanted(value)
    cross join lateral (
      select id, parent_id, type, source, duplicate_of from observations
      where org_id = ${orgId} and trace_id = wanted.value
      offset 0
    ) o`)) as { rows: Link[] };
  return result.rows;
}

function addTo(map: Map<string, Set<string>>, orgId: string, id: string): void {
  const ids = map.get(orgId) ?? new Set<string>();
  ids.add(id);
  map.set(orgId, ids);
}
