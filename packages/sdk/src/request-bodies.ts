import { INGEST_LIMITS } from './ingest-limits.js';
import type { SerializedEvent } from './serialize-event.js';

export type RequestBody = { events: SerializedEvent[]; json: string };

const ENVELOPE_BYTES = '{"batch":[]}'.length;

/**
 * Packs events into `POST /v1/ingest` bodies that stay under the body and batch limits. Events over
 * the per-event limit can never be accepted and come back in `oversized`, for the caller to report.
 */
export function toRequestBodies(
  events: readonly SerializedEvent[],
  limits: { bodyBytes: number; eventBytes: number; batchEvents: number } = INGEST_LIMITS,
): { bodies: RequestBody[]; oversized: SerializedEvent[] } {
  const bodies: RequestBody[] = [];
  const oversized: SerializedEvent[] = [];
  let current: SerializedEvent[] = [];
  let currentBytes = ENVELOPE_BYTES;
  const close = () => {
    if (current.length > 0) bodies.push(toRequestBody(current));
    current = [];
    currentBytes = ENVELOPE_BYTES;
  };
  for (const event of events) {
    if (event.bytes > limits.eventBytes || ENVELOPE_BYTES + event.bytes > limits.bodyBytes) {
      oversized.push(event);
      continue;
    }
    // +1 for the comma; on an empty body that overcounts by one byte, which close() shrugs off.
    if (current.length >= limits.batchEvents || currentBytes + 1 + event.bytes > limits.bodyBytes) close();
    currentBytes += (current.length > 0 ? 1 : 0) + event.bytes;
    current.push(event);
  }
  close();
  return { bodies, oversized };
}

export function toRequestBody(events: SerializedEvent[]): RequestBody {
  return { events, json: `{"batch":[${events.map((event) => event.json).join(',')}]}` };
}
