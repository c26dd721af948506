// Below a cent, two significant digits: written out in full ("0.0000051"), never "5.1e-6" or the
// float's own "0.0000050999999999999995".
const subCent = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 2, useGrouping: false });

/**
 * A dollar amount as people read it: cents for ordinary amounts, two significant digits below a
 * cent (so a $0.0042 budget or a $0.0000051 call still reads right).
 */
export function formatUsd(value: number): string {
  const magnitude = Math.abs(value);
  const digits = magnitude === 0 || magnitude >= 0.01 ? magnitude.toFixed(2) : subCent.format(magnitude);
  return `${value < 0 ? '-' : ''}$${digits}`;
}

/**
 * A dollar amount where room is short (chart axes): no trailing zeros, thousands as "k" and
 * millions as "M". 0 → "$0", 0.5 → "$0.5", 0.00002 → "$0.00002", 1500 → "$1.5k".
 */
export function formatUsdCompact(value: number): string {
  const magnitude = Math.abs(value);
  const sign = value < 0 ? '-' : '';
  if (magnitude >= 1e6) return `${sign}$${Number((magnitude / 1e6).toPrecision(3))}M`;
  if (magnitude >= 1e3) return `${sign}$${Number((magnitude / 1e3).toPrecision(3))}k`;
  if (magnitude === 0 || magnitude >= 0.01) return `${sign}$${Number(magnitude.toFixed(2))}`;
  return `${sign}$${subCent.format(magnitude)}`;
}
