// Many long streams held open at once through Switchyard: does its memory stay bounded and flat?
import { readFileSync } from 'node:fs';
import autocannon from 'autocannon';

/** The process's resident memory in MB, from /proc (0 once it has gone). */
export function rssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    return Math.round(Number(status.match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);
  } catch {
    return 0;
  }
}

/**
 * `connections` streams at once for `durationS` (each opens the next when its last ends), with the
 * process's RSS sampled every second: { completed, failures, rss: { start, peak, end, samples } }.
 */
export async function slowStreams({ pid, url, key, connections, durationS }) {
  const samples = [rssMb(pid)];
  const timer = setInterval(() => samples.push(rssMb(pid)), 1000);
  const result = await new Promise((resolve, reject) =>
    autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ model: 'groq/slow', messages: [{ role: 'user', content: 'benchmark' }], stream: true }),
        connections,
        duration: durationS,
        timeout: 30,
      },
      (error, value) => (error ? reject(error) : resolve(value)),
    ),
  );
  clearInterval(timer);
  samples.push(rssMb(pid));
  return {
    completed: result.requests.total,
    failures: result.errors + result.non2xx + result.timeouts,
    rss: { start: samples[0], peak: Math.max(...samples), end: samples.at(-1), samples },
  };
}

/** A markdown table of the RSS samples (one a second) by minute: lowest, mean and highest. */
export function rssByMinute(samples) {
  const rows = [];
  for (let from = 1; from < samples.length; from += 60) {
    const minute = samples.slice(from, from + 60);
    const mean = minute.reduce((sum, value) => sum + value, 0) / minute.length;
    rows.push(`| ${rows.length + 1} | ${Math.min(...minute)} | ${mean.toFixed(0)} | ${Math.max(...minute)} |`);
  }
  return ['| minute | lowest MB | mean MB | highest MB |', '| ---: | ---: | ---: | ---: |', ...rows].join('\n');
}
