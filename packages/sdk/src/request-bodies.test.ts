import { describe, expect, it } from 'vitest';
import { toRequestBodies } from './request-bodies.js';
import { type SerializedEvent, serializeEvent, utf8ByteLength } from './serialize-event.js';

const event = (id: string, bytes: number): SerializedEvent => ({ id, json: `"${'x'.repeat(bytes - 2)}"`, bytes });

describe('toRequestBodies', () => {
  it('splits by body size and by event count, keeping order', () => {
    const events = ['a', 'b', 'c', 'd', 'e'].map((id) => event(id, 40));
    const { bodies, oversized } = toRequestBodies(events, { bodyBytes: 100, eventBytes: 50, batchEvents: 10 });
    expect(bodies.map((body) => body.events.map((entry) => entry.id))).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(bodies.every((body) => utf8ByteLength(body.json) <= 100)).toBe(true);
    expect(oversized).toEqual([]);
    const byCount = toRequestBodies(events, { bodyBytes: 10_000, eventBytes: 50, batchEvents: 2 });
    expect(byCount.bodies.map((body) => body.events.length)).toEqual([2, 2, 1]);
  });

  it('sets aside events over the per-event limit', () => {
    const { bodies, oversized } = toRequestBodies([event('small', 10), event('huge', 80)], {
      bodyBytes: 1_000,
      eventBytes: 50,
      batchEvents: 10,
    });
    expect(bodies.map((body) => body.json)).toEqual([`{"batch":[${event('small', 10).json}]}`]);
    expect(oversized.map((entry) => entry.id)).toEqual(['huge']);
  });
});

describe('serializeEvent', () => {
  it('counts UTF-8 bytes and survives cycles and bigints', () => {
    const cyclic: Record<string, unknown> = { count: 10n };
    cyclic.self = cyclic;
    const serialized = serializeEvent({
      id: 'e1',
      type: 'trace-create',
      timestamp: '2026-01-01T00:00:00.000Z',
      body: { id: 't1', name: 'é😀', metadata: cyclic },
    });
    expect(JSON.parse(serialized?.json ?? '')).toMatchObject({
      body: { name: 'é😀', metadata: { count: '10', self: '[Circular]' } },
    });
    expect(serialized?.bytes).toBe(Buffer.byteLength(serialized?.json ?? ''));
  });
});
