import { type ChildProcess, spawnSync } from 'node:child_process';

/** A PostgreSQL client program (pg_dump, pg_restore, psql) failed or is missing. */
export class PostgresToolError extends Error {
  override name = 'PostgresToolError';
}

/** Checks a client program is on PATH and returns its version line; throws saying how to get it. */
export function requireTool(tool: 'pg_dump' | 'pg_restore' | 'psql'): string {
  const probe = spawnSync(tool, ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0)
    throw new PostgresToolError(
      `${tool} was not found on PATH. Backing up or restoring a Postgres server uses PostgreSQL's client ` +
        "programs, of the server's major version or newer (Debian/Ubuntu: apt-get install postgresql-client; " +
        'macOS: brew install libpq). Managed databases (Neon, Supabase, RDS) also keep their own backups.',
    );
  return probe.stdout.trim();
}

/**
 * How to reach the server: the URL for `--dbname` without its password, which goes in PGPASSWORD
 * instead, so it never shows in a process list.
 */
export function connectionFor(url: string): { dbname: string; env: NodeJS.ProcessEnv } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  return { dbname: parsed.toString(), env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

/**
 * Waits for a program to finish; each stderr line goes to `onLine`, and the last ones make the error
 * message when it fails.
 */
export function finished(child: ChildProcess, tool: string, onLine: (line: string) => void = () => {}): Promise<void> {
  const lastLines: string[] = [];
  let partial = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      lastLines.push(line);
      if (lastLines.length > 8) lastLines.shift();
      onLine(line);
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => reject(new PostgresToolError(`${tool} could not run: ${error.message}`)));
    child.on('close', (code, signal) => {
      if (partial) lastLines.push(partial);
      if (code === 0) resolve();
      else
        reject(
          new PostgresToolError(
            `${tool} failed (${signal ?? `exit code ${code}`}):\n${lastLines
              .filter(
                (line) => line.trim() && !/^\S+: (dumping|processing|reading|identifying|saving|creating)/.test(line),
              )
              .join('\n')}`,
          ),
        );
    });
  });
}
