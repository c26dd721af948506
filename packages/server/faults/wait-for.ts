import { setTimeout as sleep } from 'node:timers/promises';

/** Polls `condition` every 100 ms until it holds; throws after `timeoutMs` (a hang guard). */
export async function waitFor(what: string, condition: () => boolean | Promise<boolean>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await sleep(100);
  }
}
