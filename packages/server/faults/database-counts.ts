import { entityOf, loadModel } from './ingest-load.js';

/** Any way to run a query on the case's database: a pg client, or PGlite on the embedded files. */
export type QueryRunner = <TRow extends Record<string, unknown>>(text: string, values?: unknown[]) => Promise<TRow[]>;

export type StoredCounts = {
  /** Acknowledged events whose trace or observation is stored. */
  found: number;
  /** Generations of the load counted in the usage rollups: more than stored means applied twice. */
  rolledUp: number;
  storedGenerations: number;
};

/** What of a load's acknowledged events the database holds, and whether any was applied twice. */
export async function countStored(options: {
  query: QueryRunner;
  orgId: string;
  prefix: string;
  acknowledged: string[];
}): Promise<StoredCounts> {
  const { query, orgId } = options;
  const traceIds: string[] = [];
  const observationIds: string[] = [];
  for (const envelopeId of options.acknowledged) {
    const entity = entityOf(envelopeId);
    (entity.table === 'traces' ? traceIds : observationIds).push(entity.id);
  }
  const countIn = async (table: 'traces' | 'observations', ids: string[]) => {
    const [row] = await query<{ count: string | number }>(
      `select count(*) as count from ${table} where org_id = $1 and id = any($2::text[])`,
      [orgId, ids],
    );
    return Number(row?.count ?? 0);
  };
  const found = (await countIn('traces', traceIds)) + (await countIn('observations', observationIds));
  const model = loadModel(options.prefix);
  const [rollups] = await query<{ requests: string | number }>(
    `select coalesce(sum(requests), 0) as requests from usage_rollups where org_id = $1 and source = 'ingest' and model = $2`,
    [orgId, model],
  );
  const [generations] = await query<{ count: string | number }>(
    `select count(*) as count from observations where org_id = $1 and model = $2`,
    [orgId, model],
  );
  return {
    found,
    rolledUp: Number(rollups?.requests ?? 0),
    storedGenerations: Number(generations?.count ?? 0),
  };
}
