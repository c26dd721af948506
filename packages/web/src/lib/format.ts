export { formatUsd, formatUsdCompact } from '@switchyard/shared';

import { NO_PROVIDER } from '@switchyard/shared';

/** 950 → "950", 12_300 → "12.3k", 4_500_000 → "4.5M". */
export function formatCount(value: number): string {
  const magnitude = Math.abs(value);
  if (magnitude >= 1e9) return `${trim(value / 1e9)}B`;
  if (magnitude >= 1e6) return `${trim(value / 1e6)}M`;
  if (magnitude >= 1e3) return `${trim(value / 1e3)}k`;
  return String(Math.round(value));
}

function trim(value: number): string {
  return value >= 100
    ? value.toFixed(0)
    : value >= 10
      ? value.toFixed(1).replace(/\.0$/, '')
      : value.toFixed(2).replace(/\.?0+$/, '');
}

/** 850 → "850 ms", 12_400 → "12.4 s"; null → "—". */
export function formatMs(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  if (value < 1_000) return `${Math.round(value)} ms`;
  if (value < 60_000) return `${(value / 1_000).toFixed(value < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(value / 60_000)} min ${Math.round((value % 60_000) / 1_000)} s`;
}

export function formatPercent(part: number, whole: number): string {
  if (whole === 0) return '—';
  const percent = (part / whole) * 100;
  return `${percent < 10 && percent > 0 ? percent.toFixed(1) : Math.round(percent)}%`;
}

const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
const shortTime = new Intl.DateTimeFormat(undefined, {
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

export function formatDateTime(iso: string | null | undefined): string {
  return iso ? dateTime.format(new Date(iso)) : '—';
}

const dateOnly = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });

/** "12 Mar 2025": joined and expiry dates, where the time of day says nothing. */
export function formatDate(iso: string): string {
  return dateOnly.format(new Date(iso));
}

export function formatShortTime(iso: string): string {
  return shortTime.format(new Date(iso));
}

/** "3 min ago", for last-used columns. */
export function formatAgo(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return 'never';
  const seconds = Math.max(0, Math.round((now - new Date(iso).getTime()) / 1_000));
  if (seconds < 60) return 'just now';
  if (seconds < 3_600) return `${Math.floor(seconds / 60)} min ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3_600)} h ago`;
  return `${Math.floor(seconds / 86_400)} d ago`;
}

const pricePerMillion = new Intl.NumberFormat('en-US', {
  style: 'currency',
  currency: 'USD',
  minimumFractionDigits: 2,
  maximumFractionDigits: 4,
});

/** A model price in USD per million tokens: 0.075 → "$0.075", 2.5 → "$2.50". */
export function formatPricePerMillion(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : pricePerMillion.format(value);
}

/** A provider as a user reads it: the gateway's "none" is a call refused before routing chose one. */
export function formatProvider(provider: string | null | undefined): string {
  if (provider === NO_PROVIDER) return 'no provider (refused before routing)';
  return provider ?? '—';
}
