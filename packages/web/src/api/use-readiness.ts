import { useQuery } from '@tanstack/react-query';
import { READY_KEY } from './query-keys.js';
import { getReadiness } from './readiness.js';

/** The server's readiness, asked again every 30 s while the dashboard is open. */
export function useReadiness() {
  return useQuery({ queryKey: READY_KEY, queryFn: getReadiness, refetchInterval: 30_000 });
}
