import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const BIN = join(import.meta.dirname, '..', 'bin', 'switchyard.js');

export const FAULTS_SECRET_KEY = 'faults-suite-secret-key-0123456789abcdef0123';

/** The real `switchyard start` process, as an operator runs it. */
export type ServerProcess = {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  pid: number;
  child: ChildProcess;
  /** Everything it wrote (logs on stdout, the banner on stderr), for the reader of a failure. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once the process is gone. */
  exited: Promise<number | string | null>;
  /** Resident memory from /proc, in bytes. */
  rssBytes(): number;
  /** SIGTERM and wait; SIGKILL when the graceful stop hangs. */
  stop(): Promise<number | string | null>;
  /** SIGKILL and wait: a crash, no shutdown code runs. */
  kill(): Promise<number | string | null>;
};

/** Starts `switchyard start` with only the given env (plus PATH/HOME) and resolves once it listens. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { PATH: process.env.PATH, HOME: process.env.HOME, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'warn', ...env },
    cwd: tmpdir(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  child.stdout?.on('data', (chunk) => {
    output += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${output}`)), 60_000);
    child.stderr?.on('data', (chunk) => {
      output += chunk;
      // The banner names the URL after the first run's credentials, or alone on later starts.
      const match = output.match(/(?:Dashboard|listening on)\s+(http:\/\/\S+)/);
      const ready = match && (/listening on/.test(output) || /API key\s+sy-\S+/.test(output));
      if (match?.[1] && ready) {
        clearTimeout(timer);
        resolve(match[1].replace('//localhost', '//127.0.0.1'));
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
  const pid = child.pid ?? 0;
  const waitForExit = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    url,
    pid,
    child,
    output: () => output,
    exited,
    rssBytes: () => {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      return Number(status.match(/VmRSS:\s+(\d+)\s+kB/)?.[1] ?? 0) * 1024;
    },
    stop: async () => {
      const forced = setTimeout(() => child.kill('SIGKILL'), 30_000);
      const code = await waitForExit('SIGTERM');
      clearTimeout(forced);
      return code;
    },
    kill: () => waitForExit('SIGKILL'),
  };
}

/** Waits for the child to be gone (used in cleanup, whatever state the case left it in). */
export async function ensureStopped(server: ServerProcess | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null || server.child.signalCode !== null) return;
  await server.stop();
  if (server.child.exitCode === null && server.child.signalCode === null) await once(server.child, 'exit');
}
