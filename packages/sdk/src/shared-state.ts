import type { ContextStorage } from './context-storage.js';

/**
 * The state every loaded copy of the SDK shares: an app that both `require`s and `import`s it (or
 * bundles two copies) still has one current client and one trace context.
 */
type SharedState = {
  client: unknown;
  storage: ContextStorage<unknown> | null | undefined;
};

const KEY = Symbol.for('@switchyard/sdk');

export function sharedState(): SharedState {
  const holder = globalThis as { [KEY]?: SharedState };
  holder[KEY] ??= { client: undefined, storage: undefined };
  return holder[KEY];
}
