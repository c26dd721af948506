type ProcessEvents = {
  on?: (event: 'beforeExit', listener: () => void) => unknown;
  removeListener?: (event: 'beforeExit', listener: () => void) => unknown;
};

/**
 * Runs `listener` when Node's event loop runs dry, which is when a script ends by itself: the last
 * chance to send what is queued. Not emitted on `process.exit()` or a signal. A no-op where there is
 * no `process` (edge runtimes). Returns the way to take the listener off again.
 */
export function onBeforeExit(listener: () => void): () => void {
  const target = globalThis.process as ProcessEvents | undefined;
  if (typeof target?.on !== 'function') return () => {};
  try {
    target.on('beforeExit', listener);
  } catch {
    return () => {};
  }
  return () => {
    try {
      target.removeListener?.('beforeExit', listener);
    } catch {
      // Nothing to undo.
    }
  };
}
