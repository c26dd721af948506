// An open-loop load generator: requests leave on a fixed schedule whether or not earlier ones have
// answered, and each latency is measured from the moment its request was due. A closed-loop tool
// (autocannon's `overallRate`) waits for a free connection first, which hides queueing from the
// figures ("coordinated omission"); autocannon also counts more latency samples than requests there.
import { Pool } from 'undici';

/**
 * Sends `rate` requests per second for `durationS` seconds and reads every answer to its end.
 * @returns {Promise<{ sent: number, ok: number, failed: number, rps: number, p50: number, p99: number, max: number }>}
 */
export async function openLoop({ url, headers, body, rate, durationS, connections = 256 }) {
  const target = new URL(url);
  const pool = new Pool(target.origin, { connections, pipelining: 1, keepAliveTimeout: 60_000 });
  const total = Math.round(rate * durationS);
  const latencies = new Float64Array(total);
  let ok = 0;
  let failed = 0;
  const pending = [];
  const started = performance.now();

  const send = async (index, dueAt) => {
    try {
      const response = await pool.request({ path: target.pathname, method: 'POST', headers, body });
      // Drain the body: a stream's latency is the time to its last byte.
      for await (const _ of response.body);
      if (response.statusCode < 400) ok += 1;
      else failed += 1;
    } catch {
      failed += 1;
    }
    latencies[index] = performance.now() - dueAt;
  };

  let next = 0;
  await new Promise((resolve) => {
    const tick = () => {
      const now = performance.now();
      // Every request whose time has come leaves now, timed from when it was due.
      while (next < total && started + (next * 1000) / rate <= now) {
        pending.push(send(next, started + (next * 1000) / rate));
        next += 1;
      }
      if (next < total) setTimeout(tick, 1);
      else resolve();
    };
    tick();
  });
  await Promise.all(pending);
  const elapsedS = (performance.now() - started) / 1000;
  await pool.close();
  const sorted = latencies.sort();
  const at = (quantile) => sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))];
  return { sent: total, ok, failed, rps: ok / elapsedS, p50: at(0.5), p99: at(0.99), max: sorted.at(-1) };
}
