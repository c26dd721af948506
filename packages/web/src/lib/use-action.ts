import { useState } from 'react';

/** The message of anything thrown, for showing to the user. */
export function messageOf(failure: unknown): string {
  return failure instanceof Error ? failure.message : String(failure);
}

/**
 * An action a user starts from a button or a form: busy while it runs, and the error's message
 * when it fails (the server's messages name what is wrong, so they are shown as they are).
 */
export function useAction<TArgs extends unknown[]>(action: (...args: TArgs) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (...args: TArgs): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      await action(...args);
      return true;
    } catch (failure) {
      setError(messageOf(failure));
      return false;
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, run };
}
