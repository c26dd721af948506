/**
 * A dollar amount as people read it: cents for ordinary amounts, two significant digits below a
 * cent (so a $0.0042 budget or call still reads right).
 */
export function formatUsd(value: number): string {
  return value === 0 || value >= 0.01 ? `$${value.toFixed(2)}` : `$${Number(value.toPrecision(2))}`;
}
