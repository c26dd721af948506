import type { LiveUpdate } from '@switchyard/shared';
import { useEffect, useRef, useState } from 'react';

export type { LiveUpdate };

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
