import { useQuery } from '@tanstack/react-query';
import { USAGE_KEY } from './query-keys.js';
import { getUsage } from './usage.js';

/**
 * How often usage is read again while it is shown (the page says so). Per-minute counts move quickly;
 * spend is cheap to read, so one interval serves both.
 */
export const USAGE_REFRESH_MS = 15_000;

/** The org's plan, limits and spend, and each key's, read again every USAGE_REFRESH_MS. */
export function useUsage() {
  return useQuery({
    queryKey: USAGE_KEY,
    queryFn: ({ signal }) => getUsage({ signal }),
    refetchInterval: USAGE_REFRESH_MS,
  });
}
