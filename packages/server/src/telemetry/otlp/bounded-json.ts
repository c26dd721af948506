// Keeps one ingest event under its size limit: a value too large becomes a truncated string that
// says how large it was, rather than the whole span being rejected.

const TRUNCATION_ATTEMPTS = 6;

/** `text` cut to at most `maxBytes` of UTF-8, never in the middle of a character. */
export function truncateUtf8({ text, maxBytes }: { text: string; maxBytes: number }): string {
  if (Buffer.byteLength(text) <= maxBytes) return text;
  // A cut inside a multi-byte character decodes to U+FFFD; drop that partial character.
  return Buffer.from(text)
    .subarray(0, Math.max(0, maxBytes))
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

/** The byte size of `value` as JSON (0 when it has no JSON form). */
export function jsonByteLength(value: unknown): number {
  const text = JSON.stringify(value);
  return text === undefined ? 0 : Buffer.byteLength(text);
}

/**
 * `value` itself when its JSON fits in `maxBytes`; otherwise the start of its text (a string, or the
 * JSON) followed by `… [truncated from N bytes]`, sized so that its own JSON fits.
 */
export function boundJson({ value, maxBytes }: { value: unknown; maxBytes: number }): unknown {
  const size = jsonByteLength(value);
  if (size <= maxBytes) return value;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  const note = `… [truncated from ${size} bytes]`;
  let budget = maxBytes - Buffer.byteLength(note) - 2;
  for (let attempt = 0; attempt < TRUNCATION_ATTEMPTS && budget > 0; attempt++) {
    const truncated = truncateUtf8({ text, maxBytes: budget }) + note;
    const truncatedSize = jsonByteLength(truncated);
    if (truncatedSize <= maxBytes) return truncated;
    // Escapes (quotes, newlines, control characters) grew the JSON: shrink by the ratio and retry.
    budget = Math.floor((budget * maxBytes) / truncatedSize) - 1;
  }
  return note;
}
