import { type IngestEvent, ingestEventSchema, INGEST_LIMITS as SERVER_INGEST_LIMITS } from '@switchyard/shared';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { fitFieldLimits } from './field-limits.js';
import { createEnvelope, type IngestEnvelope } from './ingest-event.js';
import { INGEST_LIMITS } from './ingest-limits.js';

// The SDK keeps its own copy of the wire types and limits so its bundle and declarations stand alone;
// these tests are what keeps the copy honest.
describe('the wire contract of @switchyard/shared', () => {
  it('accepts, as a type, every envelope the SDK can build', () => {
    expectTypeOf<IngestEnvelope>().toExtend<IngestEvent>();
  });

  it('accepts the envelopes the SDK builds', () => {
    const envelopes = [
      createEnvelope('trace-create', {
        id: 'trace-1',
        name: 'answer',
        tags: ['a'],
        startTime: new Date().toISOString(),
      }),
      createEnvelope('observation-create', {
        id: 'obs-1',
        traceId: 'trace-1',
        type: 'generation',
        startTime: new Date().toISOString(),
        usage: { inputTokens: 1, outputTokens: 2, cachedInputTokens: 0 },
        status: 'success',
      }),
      createEnvelope('observation-update', { id: 'obs-1', output: 'late' }),
      createEnvelope('score-create', { id: 'score-1', traceId: 'trace-1', name: 'quality', value: 1, source: 'sdk' }),
    ];
    for (const envelope of envelopes) expect(ingestEventSchema.safeParse(envelope).success).toBe(true);
    expect(new Set(envelopes.map((envelope) => envelope.id)).size).toBe(envelopes.length);
  });

  it('cuts free-text fields to what the server takes', () => {
    const long = createEnvelope(
      'observation-create',
      fitFieldLimits({
        id: 'obs-2',
        traceId: 'trace-1',
        type: 'span',
        startTime: new Date().toISOString(),
        name: 'n'.repeat(5_000),
        statusMessage: 'm'.repeat(50_000),
      }),
    );
    expect(ingestEventSchema.safeParse(long).success).toBe(true);
  });

  it('has the same limits as the server', () => {
    expect(INGEST_LIMITS).toEqual(SERVER_INGEST_LIMITS);
  });
});
