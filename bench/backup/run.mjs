// Backup and restore, measured in one run against the database's own tools as the baseline:
// `switchyard backup` / `restore` (dump + a row count and checksum of every table + sha256 + checks)
// against plain `pg_dump -Fc` / `pg_restore` of the same Postgres database, and against PGlite's own
// dumpDataDir / loadDataDir for the embedded database.
//   npm run bench:backup                  (writes bench/backup/results.md)
//   ROWS=50000 RUNS=1 npm run bench:backup
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { build, cli, envWith, freshPostgres, log, root } from '../lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const ROWS = Number(process.env.ROWS ?? 200_000);
const RUNS = Number(process.env.RUNS ?? 3);
const DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/switchyard_bench_backup';
const RESTORE_URL = `${DATABASE_URL}_restored`;
const work = mkdtempSync(join(tmpdir(), 'switchyard-bench-backup-'));

/** ROWS generations (with prompt and completion payloads) in ROWS / 2 traces, as SQL. */
const fillSql = (orgId) => `
  insert into traces (org_id, id, name, start_time)
    select '${orgId}', 't' || i, 'chat', now() - (i || ' seconds')::interval from generate_series(1, ${ROWS / 2}) i;
  insert into observations (org_id, id, trace_id, type, name, provider, model, start_time, end_time, latency_ms,
                            input_tokens, output_tokens, cost_usd, status, input, output)
    select '${orgId}', 'o' || i, 't' || (1 + i % ${ROWS / 2}), 'generation', 'chat.completions', 'openai', 'gpt-4o-mini',
           now() - (i || ' seconds')::interval, now() - (i || ' seconds')::interval + interval '800 ms', 800,
           120, 40, 0.00004, 'success',
           jsonb_build_array(jsonb_build_object('role', 'user', 'content', 'Summarise the order history of customer ' || i)),
           jsonb_build_object('role', 'assistant', 'content', 'The customer ordered twice; both orders shipped on time.')
    from generate_series(1, ${ROWS}) i;`;

/** Seconds a command takes; throws with its output if it fails. */
function timed(command, args, env = {}) {
  const started = process.hrtime.bigint();
  const result = spawnSync(command, args, { env: envWith(env), encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}\n${result.stdout}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const bin = join(root, 'packages/server/bin/switchyard.js');
const mb = (file) => (statSync(file).size / 1024 / 1024).toFixed(1);

async function postgresCase() {
  await freshPostgres(DATABASE_URL);
  const env = { DATABASE_URL, SWITCHYARD_SECRET_KEY: 'b'.repeat(64), LOG_LEVEL: 'warn' };
  cli(['migrate'], env);
  const orgId = cli(['org', 'create', 'Bench'], env).match(/[0-9a-f]{8}-[0-9a-f-]{27}/)?.[0];
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  await client.query(fillSql(orgId));
  await client.query('vacuum analyze');
  await client.end();
  const plainFile = join(work, 'plain.pgdump');
  const ourFile = join(work, 'switchyard-pg.backup');
  const times = { dump: [], backup: [], pgRestore: [], restore: [] };
  for (let run = 0; run < RUNS; run++) {
    times.dump.push(
      timed('pg_dump', [
        '--format=custom',
        '--compress=6',
        '--no-owner',
        '--no-privileges',
        `--file=${plainFile}`,
        `--dbname=${DATABASE_URL}`,
      ]),
    );
    times.backup.push(timed(process.execPath, [bin, 'backup', '--out', ourFile], env));
    await freshPostgres(RESTORE_URL);
    times.pgRestore.push(
      timed('pg_restore', [
        '--no-owner',
        '--no-privileges',
        '--single-transaction',
        `--dbname=${RESTORE_URL}`,
        plainFile,
      ]),
    );
    await freshPostgres(RESTORE_URL);
    times.restore.push(timed(process.execPath, [bin, 'restore', ourFile], { ...env, DATABASE_URL: RESTORE_URL }));
  }
  return { times, sizes: { baseline: mb(plainFile), ours: mb(ourFile) } };
}

async function embeddedCase() {
  const dataDir = join(work, 'data');
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
  cli(['migrate'], env);
  const orgId = cli(['org', 'create', 'Bench'], env).match(/[0-9a-f]{8}-[0-9a-f-]{27}/)?.[0];
  const db = await PGlite.create(join(dataDir, 'pglite'));
  await db.exec(fillSql(orgId));
  await db.exec('vacuum analyze');
  await db.exec('checkpoint');
  await db.close();
  const plainFile = join(work, 'plain.tar.gz');
  const ourFile = join(work, 'switchyard-embedded.backup');
  // PGlite on its own, in a child process like the CLI: open, dump, write; then load into an empty folder.
  const pglite = JSON.stringify(join(root, 'node_modules/@electric-sql/pglite/dist/index.js'));
  const dumpScript = `const { PGlite } = await import(${pglite}); const fs = await import('node:fs');
    const db = await PGlite.create(process.argv[1]); const tar = await db.dumpDataDir('gzip');
    fs.writeFileSync(process.argv[2], new Uint8Array(await tar.arrayBuffer())); await db.close();`;
  const loadScript = `const { PGlite } = await import(${pglite}); const fs = await import('node:fs');
    const db = await PGlite.create(process.argv[1], { loadDataDir: await fs.openAsBlob(process.argv[2]) });
    await db.query('select 1'); await db.close();`;
  const times = { dump: [], backup: [], pgRestore: [], restore: [] };
  for (let run = 0; run < RUNS; run++) {
    times.dump.push(
      timed(process.execPath, ['--input-type=module', '-e', dumpScript, join(dataDir, 'pglite'), plainFile]),
    );
    times.backup.push(timed(process.execPath, [bin, 'backup', '--out', ourFile], env));
    const loaded = join(work, `loaded-${run}`);
    times.pgRestore.push(timed(process.execPath, ['--input-type=module', '-e', loadScript, loaded, plainFile]));
    times.restore.push(
      timed(process.execPath, [bin, 'restore', ourFile], { ...env, DATA_DIR: join(work, `restored-${run}`) }),
    );
  }
  return { times, sizes: { baseline: mb(plainFile), ours: mb(ourFile) } };
}

function rows(name, result, baselineDump, baselineRestore) {
  const { times, sizes } = result;
  const line = (what, ours, baseline, baseName) =>
    `| ${name} | ${what} | ${median(ours).toFixed(2)} s | ${baseName} ${median(baseline).toFixed(2)} s | **${(median(ours) / median(baseline)).toFixed(2)}×** |`;
  return [
    line('backup', times.backup, times.dump, baselineDump),
    line('restore (+ verify)', times.restore, times.pgRestore, baselineRestore),
    `| ${name} | file size | ${sizes.ours} MB | ${sizes.baseline} MB | ${(sizes.ours / sizes.baseline).toFixed(2)}× |`,
  ];
}

try {
  build();
  log(`Postgres: ${ROWS} generations, ${RUNS} runs…`);
  const postgres = await postgresCase();
  log(`Embedded: ${ROWS} generations, ${RUNS} runs…`);
  const embedded = await embeddedCase();
  const table = [
    '| database | step | switchyard | baseline (same run) | ratio |',
    '| --- | --- | --: | --: | --: |',
    ...rows('Postgres 15', postgres, '`pg_dump -Fc -Z6`', '`pg_restore --single-transaction`'),
    ...rows('embedded (PGlite)', embedded, '`dumpDataDir`', '`loadDataDir`'),
  ].join('\n');
  const report = `# Backup and restore

\`npm run bench:backup\` on ${new Date().toISOString().slice(0, 10)}: ${cpus().length} × ${cpus()[0]?.model.trim()}, Node ${process.version}.
${ROWS.toLocaleString('en-US')} generations with prompt and completion payloads in ${(ROWS / 2).toLocaleString('en-US')} traces; the median of ${RUNS} runs.

The ratio is the price of what \`switchyard\` adds to the database's own dump: a row count and a
checksum of every table (in the dump's snapshot), the file's sha256, and on restore the sha256
check, the emptiness check and a second census compared with the manifest.

${table}
`;
  writeFileSync(join(here, 'results.md'), report);
  process.stdout.write(report);
} finally {
  rmSync(work, { recursive: true, force: true });
  for (const url of [DATABASE_URL, RESTORE_URL]) {
    const admin = new pg.Client({ connectionString: Object.assign(new URL(url), { pathname: '/postgres' }).href });
    await admin.connect();
    await admin.query(`drop database if exists "${new URL(url).pathname.slice(1)}" with (force)`);
    await admin.end();
  }
}
