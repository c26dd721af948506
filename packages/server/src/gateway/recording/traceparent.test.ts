import { describe, expect, it } from 'vitest';
import { readTraceparent } from './traceparent.js';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SPAN = '00f067aa0ba902b7';

describe('readTraceparent', () => {
  it('reads the trace and the calling span of a version 00 header', () => {
    expect(readTraceparent({ traceparent: `00-${TRACE}-${SPAN}-01` })).toEqual({ traceId: TRACE, spanId: SPAN });
    expect(readTraceparent({ traceparent: ` 00-${TRACE}-${SPAN}-00 ` })).toEqual({ traceId: TRACE, spanId: SPAN });
  });

  it('reads a later version as 00, extra fields and all', () => {
    expect(readTraceparent({ traceparent: `01-${TRACE}-${SPAN}-01-what-comes-next` })).toEqual({
      traceId: TRACE,
      spanId: SPAN,
    });
  });

  it.each([
    ['no header', undefined],
    ['version 00 with a fifth field', `00-${TRACE}-${SPAN}-01-extra`],
    ['version ff', `ff-${TRACE}-${SPAN}-01`],
    ['an all-zero trace id', `00-${'0'.repeat(32)}-${SPAN}-01`],
    ['an all-zero span id', `00-${TRACE}-${'0'.repeat(16)}-01`],
    ['uppercase hex', `00-${TRACE.toUpperCase()}-${SPAN}-01`],
    ['a short trace id', `00-${TRACE.slice(1)}-${SPAN}-01`],
    ['two headers, as Node joins them', `00-${TRACE}-${SPAN}-01, 00-${TRACE}-${SPAN}-01`],
  ])('ignores %s', (_what, traceparent) => {
    expect(readTraceparent({ traceparent })).toBeUndefined();
  });
});
