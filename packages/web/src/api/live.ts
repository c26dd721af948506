import { useEffect, useRef, useState } from 'react';

/** What `GET /api/live` sends after each commit of the org's telemetry (see the server's live-feed.ts). */
export type LiveUpdate = {
  orgId: string;
  committedAt: string;
  traces: number;
  totals: {
    observations: number;
    generations: number;
    errors: number;
    inputTokens: number;
    outputTokens: number;
    costUsd: number;
  };
  observations: Array<{
    id: string;
    traceId: string;
    type: string;
    name: string | null;
    provider: string | null;
    model: string | null;
    status: string;
    startTime: string;
    latencyMs: number | null;
    inputTokens: number;
    outputTokens: number;
    costUsd: number | null;
  }>;
};

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Listens to the org's live feed while mounted. EventSource reconnects by itself after a drop;
 * the state says whether updates are arriving.
 */
export function useLiveUpdates(onUpdate: (update: LiveUpdate) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onUpdate);
  handler.current = onUpdate;

  useEffect(() => {
    const source = new EventSource('/api/live');
    source.addEventListener('ready', () => setState('live'));
    source.addEventListener('records', (event) => {
      try {
        handler.current(JSON.parse((event as MessageEvent<string>).data) as LiveUpdate);
      } catch {
        // A malformed message is skipped; the next query catches up.
      }
    });
    source.addEventListener('error', () =>
      setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting'),
    );
    return () => source.close();
  }, []);

  return state;
}
