import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freePort } from './free-port.js';

/** The newest installed server's programs (Debian and Ubuntu keep each major version apart); POSTGRES_BIN overrides. */
function serverPrograms(): string {
  if (process.env.POSTGRES_BIN) return process.env.POSTGRES_BIN;
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root)
    ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'initdb')))
    : [];
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  if (!newest) throw new Error(`No PostgreSQL server programs under ${root}: install postgresql, or set POSTGRES_BIN`);
  return join(root, newest, 'bin');
}

const BIN = serverPrograms();

/**
 * A throwaway Postgres server of our own, on a free loopback port, so a case may stop it without
 * touching the machine's shared one on 5432.
 */
export type PostgresInstance = {
  /** `postgres://…/switchyard` on this instance. */
  url: string;
  port: number;
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops the server if it runs and removes its files. */
  destroy(): Promise<void>;
  /** One query on a fresh connection (the case's view of the database, independent of the server's pool). */
  query<TRow extends pg.QueryResultRow>(text: string, values?: unknown[]): Promise<TRow[]>;
};

// initdb refuses to run as root: run the server's tools as the postgres user, on a folder it owns.
function runAsOwner(command: string, args: string[]): string {
  const asRoot = userInfo().uid === 0;
  const [file, fileArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
  return execFileSync(file, fileArgs, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export async function startPostgres(): Promise<PostgresInstance> {
  const root = mkdtempSync(join(tmpdir(), 'switchyard-faults-pg-'));
  if (userInfo().uid === 0) {
    const owner = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const group = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(root, owner, group);
  }
  const dataDir = join(root, 'data');
  const port = await freePort();
  runAsOwner(`${BIN}/initdb`, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
  const serverOptions = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`;
  let running = false;
  const instance: PostgresInstance = {
    url: `postgres://postgres@127.0.0.1:${port}/switchyard`,
    port,
    async start() {
      runAsOwner(`${BIN}/pg_ctl`, ['-D', dataDir, '-o', serverOptions, '-l', join(root, 'server.log'), '-w', 'start']);
      running = true;
    },
    async stop() {
      runAsOwner(`${BIN}/pg_ctl`, ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
      running = false;
    },
    async destroy() {
      if (running) await instance.stop().catch(() => {});
      rmSync(root, { recursive: true, force: true });
    },
    async query(text, values) {
      const client = new pg.Client({ connectionString: instance.url });
      await client.connect();
      try {
        return (await client.query(text, values)).rows;
      } finally {
        await client.end();
      }
    },
  };
  try {
    await instance.start();
    const admin = new pg.Client({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres` });
    await admin.connect();
    await admin.query('create database switchyard');
    await admin.end();
  } catch (error) {
    await instance.destroy();
    throw error;
  }
  return instance;
}
