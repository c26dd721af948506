// CPU time of processes, read from /proc: a whole process, its main thread, its other threads, and
// every Postgres process on the machine.
import { readdirSync, readFileSync } from 'node:fs';

const TICK_US = 1_000_000 / 100; // USER_HZ is 100 on Linux

/** utime + stime of a /proc stat line, in µs (the command name may hold spaces, so split after its ")"). */
function statCpuUs(path) {
  try {
    const fields = readFileSync(path, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * TICK_US;
  } catch {
    return 0;
  }
}

/** CPU used so far by `pid`: `process` (every thread) and `main` (the event-loop thread). */
export function cpuUs(pid) {
  return { process: statCpuUs(`/proc/${pid}/stat`), main: statCpuUs(`/proc/${pid}/task/${pid}/stat`) };
}

/** CPU used by every thread of `pid` except the main one, per thread name (e.g. the PGlite worker). */
export function threadCpuUs(pid) {
  const threads = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    if (tid === String(pid)) continue;
    const name = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
    threads[name] = (threads[name] ?? 0) + statCpuUs(`/proc/${pid}/task/${tid}/stat`);
  }
  return threads;
}

/** µs of CPU per call between two `cpuUs` readings. */
export function perCall(before, after, calls) {
  return {
    process: (after.process - before.process) / calls,
    main: (after.main - before.main) / calls,
  };
}

/** CPU seconds `pid` has used (every thread). */
export function cpuSecondsOf(pid) {
  return statCpuUs(`/proc/${pid}/stat`) / 1_000_000;
}

/** CPU seconds of every Postgres process on the machine (the server and its backends). */
export function postgresCpuSeconds() {
  let total = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') total += cpuSecondsOf(entry);
    } catch {
      // gone meanwhile
    }
  }
  return total;
}
