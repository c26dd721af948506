// The ingest bench's baseline: raw COPY of the rows an ingest run writes, into copies of the same
// tables (indexes included), in one session.
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { cpuSecondsOf } from '../cpu.mjs';

const copyText = (value) =>
  value === null ? '\\N' : String(value).replaceAll('\\', '\\\\').replaceAll('\t', '\\t').replaceAll('\n', '\\n');

/** The same rows the ingest run writes (a trace and a generation per call), in COPY's text format. */
function copyRows({ orgId, calls, prompt, completion }) {
  const now = new Date();
  const start = new Date(now.getTime() - 1_200).toISOString();
  const end = now.toISOString();
  const traceLines = [];
  const observationLines = [];
  const envelopeLines = [];
  for (let index = 0; index < calls; index++) {
    const traceId = `copy-${index}`;
    envelopeLines.push(`${orgId}\t${traceId}-t\t${end}`, `${orgId}\t${traceId}-o\t${end}`);
    traceLines.push(
      [orgId, traceId, 'chat', null, 'bench', '{}', null, null, null, start, end].map(copyText).join('\t'),
    );
    observationLines.push(
      [
        orgId,
        `${traceId}-g`,
        traceId,
        null,
        'generation',
        'chat.completions',
        'openai',
        'gpt-4o-mini',
        start,
        end,
        start,
        0,
        1200,
        120,
        40,
        0,
        0.000042,
        'success',
        'DEFAULT',
        null,
        null,
        null,
        1,
        null,
        'ingest',
        JSON.stringify(prompt),
        JSON.stringify(completion),
        null,
      ]
        .map(copyText)
        .join('\t'),
    );
  }
  const text = (lines) => `${lines.join('\n')}\n`;
  return { traces: text(traceLines), observations: text(observationLines), envelopes: text(envelopeLines) };
}

const TRACE_COLUMNS = 'org_id, id, name, session_id, user_id, tags, metadata, input, output, start_time, end_time';
const OBSERVATION_COLUMNS =
  'org_id, id, trace_id, parent_id, type, name, provider, model, start_time, end_time, completion_start_time, ttft_ms, latency_ms, input_tokens, output_tokens, cached_input_tokens, cost_usd, status, level, status_code, error, cache_status, attempts, api_key_id, source, input, output, metadata';

async function copyInto(client, table, columns, text) {
  await new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(`copy ${table} (${columns}) from stdin`));
    stream.on('finish', resolve);
    stream.on('error', reject);
    stream.end(text);
  });
}

/**
 * Raw COPY of `rows` rows (half traces, half generations) in one transaction, into fresh copies of the
 * tables; with `envelopes`, also one `ingest_events` row per row, as acknowledging an event stores both.
 * Returns rows/s and the CPU the session's Postgres backend spent.
 */
async function rawCopyOnce({ databaseUrl, orgId, rows, prompt, completion, envelopes }) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    for (const table of ['traces', 'observations', 'ingest_events']) {
      await client.query(`drop table if exists copy_${table}`);
      await client.query(`create table copy_${table} (like ${table} including all)`);
    }
    // Start each try from a checkpoint, so that none pays for the WAL an earlier one (or the ingest
    // run) left to flush. Needs a superuser; without one the tries are only noisier.
    await client.query('checkpoint').catch(() => {});
    const text = copyRows({ orgId, calls: rows / 2, prompt, completion });
    // This session's backend does the work; read its CPU before the connection (and process) ends.
    const backend = (await client.query('select pg_backend_pid() as pid')).rows[0].pid;
    const cpuBefore = cpuSecondsOf(backend);
    const started = performance.now();
    await client.query('begin');
    await copyInto(client, 'copy_traces', TRACE_COLUMNS, text.traces);
    await copyInto(client, 'copy_observations', OBSERVATION_COLUMNS, text.observations);
    if (envelopes) await copyInto(client, 'copy_ingest_events', 'org_id, id, received_at', text.envelopes);
    await client.query('commit');
    const elapsedS = (performance.now() - started) / 1000;
    return { rows, rowsPerS: rows / elapsedS, postgresCpuS: cpuSecondsOf(backend) - cpuBefore };
  } finally {
    await client.end();
  }
}

/**
 * Raw COPY of the rows alone and of the rows with their envelopes, `tries` times each, taking turns;
 * the fastest of each: noise from the rest of the machine only slows COPY down.
 */
export async function rawCopies(options, tries = 3) {
  const best = { rows: undefined, withEnvelopes: undefined };
  const faster = (run, than) => (!than || run.rowsPerS > than.rowsPerS ? run : than);
  for (let attempt = 0; attempt < tries; attempt++) {
    best.rows = faster(await rawCopyOnce(options), best.rows);
    best.withEnvelopes = faster(await rawCopyOnce({ ...options, envelopes: true }), best.withEnvelopes);
  }
  return best;
}
