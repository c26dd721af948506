/**
 * The built-in provider that answers without a network or a key, so a fresh install works offline
 * and benchmarks have a deterministic upstream.
 */
export const MOCK_PROVIDER = 'mock';

export const MOCK_MODELS = [
  { id: 'mock/echo', description: 'Answers with the last user message' },
  { id: 'mock/stream', description: 'Streams a reply of configurable length and per-token delay' },
] as const;
