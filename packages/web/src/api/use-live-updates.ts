import type { LiveUpdate } from '@switchyard/shared';
import { useEffect, useRef, useState } from 'react';
import { type LiveState, openLiveFeed } from './live.js';

/** Listens to the org's live feed while mounted; the state says whether updates are arriving. */
export function useLiveUpdates(onUpdate: (update: LiveUpdate) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onUpdate);
  handler.current = onUpdate;

  useEffect(() => openLiveFeed({ onState: setState, onUpdate: (update) => handler.current(update) }), []);

  return state;
}
