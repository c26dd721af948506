import { type LiveUpdate, liveUpdateSchema } from '@switchyard/shared';

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Opens the org's live feed (`GET /api/live`, server-sent events); returns what closes it.
 * EventSource reconnects by itself after a drop; `onState` says whether updates are arriving.
 */
export function openLiveFeed(handlers: {
  onState: (state: LiveState) => void;
  onUpdate: (update: LiveUpdate) => void;
}): () => void {
  const source = new EventSource('/api/live');
  source.addEventListener('ready', () => handlers.onState('live'));
  source.addEventListener('records', (event) => {
    const parsed = liveUpdateSchema.safeParse(parseJson((event as MessageEvent<string>).data));
    // A malformed message is skipped; the next query catches up.
    if (parsed.success) handlers.onUpdate(parsed.data);
  });
  source.addEventListener('error', () =>
    handlers.onState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting'),
  );
  return () => source.close();
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
