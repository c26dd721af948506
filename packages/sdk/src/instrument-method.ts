export type Method = (this: unknown, ...args: unknown[]) => unknown;

// Symbol.for, so two loaded copies of the SDK agree that a method is already wrapped.
const INSTRUMENTED = Symbol.for('@switchyard/sdk.instrumented');

/**
 * Replaces `owner[method]` with `wrap(original)`, as a non-enumerable own property of that one
 * object, so the class and other clients are untouched. Wrapping twice is a no-op. Returns false when
 * there is no such method or the object
 * cannot take it (frozen).
 */
export function instrumentMethod(owner: unknown, method: string, wrap: (original: Method) => Method): boolean {
  if (typeof owner !== 'object' || owner === null) return false;
  const original = (owner as Record<string, unknown>)[method];
  if (typeof original !== 'function') return false;
  if ((original as { [INSTRUMENTED]?: true })[INSTRUMENTED]) return true;
  try {
    const wrapped = wrap(original as Method);
    Object.defineProperty(wrapped, INSTRUMENTED, { value: true });
    Object.defineProperty(owner, method, { value: wrapped, configurable: true, writable: true, enumerable: false });
    return true;
  } catch {
    // A frozen client cannot be instrumented; it keeps working unrecorded.
    return false;
  }
}
