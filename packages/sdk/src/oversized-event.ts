import type { IngestEnvelope } from './ingest-event.js';
import { INGEST_LIMITS } from './ingest-limits.js';

const PAYLOAD_FIELDS = ['input', 'output', 'metadata'] as const;

/**
 * An event over the server's per-event limit, its payloads (input, output, metadata) replaced by a
 * note: the timing, model, usage and cost of a call with a huge prompt still arrive. Same envelope
 * id, so it is still the same event.
 */
export function withoutPayloads(event: IngestEnvelope, bytes: number): IngestEnvelope {
  const note = `[removed by @switchyard/sdk: the event was ${bytes} bytes, over the ${INGEST_LIMITS.eventBytes}-byte limit]`;
  const body = { ...event.body } as Record<string, unknown>;
  for (const field of PAYLOAD_FIELDS) if (body[field] !== undefined) body[field] = note;
  return { ...event, body } as IngestEnvelope;
}
