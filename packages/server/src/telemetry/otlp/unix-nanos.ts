/** The largest time a Date can hold, in milliseconds since the epoch. */
const MAX_DATE_MS = 8.64e15;

/** A Date from OTLP unix nanoseconds; undefined for 0 (unset) or a time no Date can hold. */
export function dateFromUnixNanos(nanos: bigint): Date | undefined {
  if (nanos <= 0n) return undefined;
  return dateFromMilliseconds(Number(nanos / 1_000_000n));
}

/** ISO 8601 with milliseconds, as the ingest format wants; undefined when unset or out of range. */
export function isoFromUnixNanos(nanos: bigint): string | undefined {
  return dateFromUnixNanos(nanos)?.toISOString();
}

export function dateFromMilliseconds(milliseconds: number): Date | undefined {
  return Number.isFinite(milliseconds) && Math.abs(milliseconds) <= MAX_DATE_MS ? new Date(milliseconds) : undefined;
}
