import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { JsonParseError, jsonObjectSchema, parseJson, safeParseJson } from './parse-json.js';

describe('safeParseJson', () => {
  it('returns the value of valid JSON, checked by the schema when given', () => {
    expect(safeParseJson({ text: '[1,"a"]' })).toEqual({ success: true, value: [1, 'a'] });
    const schema = z.object({ name: z.string() });
    expect(safeParseJson({ text: '{"name":"x","extra":1}', schema })).toEqual({ success: true, value: { name: 'x' } });
  });

  it('says why text is not JSON, or not the JSON expected, without throwing', () => {
    const broken = safeParseJson({ text: '{"name":' });
    expect(broken.success).toBe(false);
    if (!broken.success) {
      expect(broken.error).toBeInstanceOf(JsonParseError);
      expect(broken.error.message).toMatch(/^not valid JSON: /);
      expect(broken.error.excerpt).toBe('{"name":');
    }
    const misshapen = safeParseJson({ text: '{"name":1}', schema: z.object({ name: z.string() }) });
    expect(misshapen.success || misshapen.error.message).toMatch(/^not the JSON expected: name: /);
  });

  it('takes only objects as JSON objects', () => {
    expect(safeParseJson({ text: '{"a":1}', schema: jsonObjectSchema }).success).toBe(true);
    for (const text of ['[]', 'null', '"a"', '3'])
      expect(safeParseJson({ text, schema: jsonObjectSchema }).success).toBe(false);
  });
});

describe('parseJson', () => {
  it('returns the value or throws a JsonParseError, never a ZodError', () => {
    expect(parseJson({ text: '{"a":1}', schema: jsonObjectSchema })).toEqual({ a: 1 });
    expect(() => parseJson({ text: 'nope' })).toThrow(JsonParseError);
    expect(() => parseJson({ text: '[]', schema: jsonObjectSchema })).toThrow(JsonParseError);
  });
});
