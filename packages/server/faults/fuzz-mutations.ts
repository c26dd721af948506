import { gzipSync } from 'node:zlib';
import type { SeededRandom } from './seeded-random.js';

/** One generated request: what to send, and whether a 2xx could be right for it. */
export type FuzzRequest = {
  mutation: string;
  headers: Record<string, string>;
  body: string | Buffer | undefined;
  /** Extra query string (GET endpoints). */
  query?: string;
  /** A field-level change may leave the request valid (extra fields pass, optional ones go); 2xx is allowed then. */
  mayBeValid: boolean;
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Bodies over the 5 MB limits (rarely drawn: each one is megabytes over loopback). */
const OVERSIZED_BYTES = 5 * 1024 * 1024 + 1024;

const WRONG_VALUES: Json[] = [
  null,
  true,
  0,
  -1,
  -1e308,
  2 ** 53 + 1,
  3.5,
  '',
  'NaN',
  'Infinity',
  '-0',
  '1e309',
  '2026-13-45T25:61:00Z',
  '../../etc/passwd',
  "'; drop table traces; --",
  '<script>alert(1)</script>',
  'nul\u0000inside',
  'lone \ud800 surrogate',
  [],
  [null],
  {},
  { $gt: '' },
];

const CONTENT_TYPES = [
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data',
  'application/xml',
  'application/octet-stream',
  'application/json; charset=utf-16',
  'application/jsonx',
  '*/*',
  '',
];

/** Every path to a value inside `value` (object keys and array indices). */
function pathsOf(value: Json, prefix: Array<string | number> = []): Array<Array<string | number>> {
  if (value === null || typeof value !== 'object') return [prefix];
  const entries: Array<[string | number, Json]> = Array.isArray(value)
    ? value.map((item, index) => [index, item])
    : Object.entries(value);
  return [prefix, ...entries.flatMap(([key, item]) => pathsOf(item, [...prefix, key]))];
}

function setAt(
  root: Json,
  path: Array<string | number>,
  change: (parent: Json[] | Record<string, Json>, key: string | number) => void,
) {
  if (path.length === 0) return;
  let parent = root as Json[] | Record<string, Json>;
  for (const key of path.slice(0, -1)) parent = (parent as Record<string, Json>)[key as string] as Record<string, Json>;
  change(parent, path[path.length - 1] as string | number);
}

function deeplyNested(depth: number, random: SeededRandom): string {
  const open = random.chance(0.5) ? '['.repeat(depth) : '{"a":'.repeat(depth);
  const close = open.startsWith('[') ? ']'.repeat(depth) : '}'.repeat(depth);
  return `${open}1${close}`;
}

const JSON_HEADERS = { 'content-type': 'application/json' };

const MARKER = '__fuzz_literal__';

/** The body with the value at `path` replaced by raw JSON text. */
function withLiteral(copy: Json, path: Array<string | number>, literal: string, mutation: string): FuzzRequest {
  setAt(copy, path, (parent, key) => {
    (parent as Record<string, Json>)[key as string] = MARKER;
  });
  const body = JSON.stringify(copy).replace(`"${MARKER}"`, literal);
  return { mutation, headers: JSON_HEADERS, body, mayBeValid: true };
}

/**
 * A bad variant of a valid JSON body: malformed, truncated, wrongly typed, oversized, deeply nested,
 * random bytes, the wrong content-type, or a field changed (wrong type, huge, negative, NaN-like,
 * removed, unknown keys added).
 */
export function mutateJson(random: SeededRandom, valid: Json, options: { otlp?: boolean } = {}): FuzzRequest {
  const text = JSON.stringify(valid);
  const roll = random.int(100);
  if (roll < 8) {
    const contentType = random.pick(CONTENT_TYPES);
    const headers: Record<string, string> = contentType ? { 'content-type': contentType } : {};
    // A charset parameter does not change how a JSON body is read (JSON is UTF-8), so it may pass.
    const mayBeValid = contentType.startsWith('application/json');
    return { mutation: `content-type ${contentType || '(none)'}`, headers, body: text, mayBeValid };
  }
  if (roll < 16)
    return {
      mutation: 'invalid json',
      headers: JSON_HEADERS,
      body: random.string(1 + random.int(200)),
      mayBeValid: false,
    };
  if (roll < 26) {
    return {
      mutation: 'truncated json',
      headers: JSON_HEADERS,
      body: text.slice(0, random.int(text.length)),
      mayBeValid: false,
    };
  }
  if (roll < 32) {
    const contentType = options.otlp && random.chance(0.7) ? 'application/x-protobuf' : 'application/json';
    const body = random.bytes(1 + random.int(4096));
    return {
      mutation: `random bytes as ${contentType}`,
      headers: { 'content-type': contentType },
      body,
      mayBeValid: false,
    };
  }
  if (roll < 36) {
    const body = random.pick(['', '[]', '"text"', '42', 'null', 'true', '[{}]', '{}']);
    // OTLP ignores fields it does not know, and an export of no spans is a valid one.
    const mayBeValid = Boolean(options.otlp) && body === '{}';
    return { mutation: `top-level ${body || '(empty)'}`, headers: JSON_HEADERS, body, mayBeValid };
  }
  if (roll < 40) {
    const depth = random.pick([1_000, 10_000, 100_000]);
    const body = deeplyNested(depth, random);
    const mayBeValid = Boolean(options.otlp) && body.startsWith('{');
    return { mutation: `nested ${depth} deep`, headers: JSON_HEADERS, body, mayBeValid };
  }
  if (roll < 41) {
    const padding = 'x'.repeat(OVERSIZED_BYTES);
    const body = `{"padding":"${padding}",${text.slice(1)}`;
    return { mutation: 'oversized body', headers: JSON_HEADERS, body, mayBeValid: false };
  }
  if (roll < 43 && options.otlp) {
    // A decompression bomb: a few kB on the wire, 20 MB once inflated.
    const body = gzipSync(Buffer.alloc(20 * 1024 * 1024, 0x20));
    return {
      mutation: 'gzip bomb',
      headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
      body,
      mayBeValid: false,
    };
  }
  if (roll < 45) {
    const encoding = random.pick(['gzip', 'deflate', 'br', 'x-unknown']);
    return {
      mutation: `content-encoding ${encoding} (not encoded)`,
      headers: { 'content-type': 'application/json', 'content-encoding': encoding },
      body: options.otlp ? random.bytes(64) : text,
      // The JSON routes do not decode bodies, so the plain body may be read as it is.
      mayBeValid: !options.otlp,
    };
  }
  // Field-level changes of a parsed copy.
  const copy = JSON.parse(text) as Json;
  const paths = pathsOf(copy).filter((path) => path.length > 0);
  const path = paths.length ? random.pick(paths) : [];
  const where = path.join('.');
  const fieldRoll = random.int(6);
  let mutation: string;
  if (fieldRoll === 0) {
    const value = random.pick(WRONG_VALUES);
    setAt(copy, path, (parent, key) => {
      (parent as Record<string, Json>)[key as string] = value;
    });
    mutation = `${where} = ${JSON.stringify(value)}`;
  } else if (fieldRoll === 1) {
    const length = random.pick([10_000, 300_000, 1_100_000]);
    setAt(copy, path, (parent, key) => {
      (parent as Record<string, Json>)[key as string] = random.string(64).repeat(Math.ceil(length / 64));
    });
    mutation = `${where} = a ${length}-character string`;
  } else if (fieldRoll === 2) {
    setAt(copy, path, (parent, key) => {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key as string];
    });
    mutation = `${where} removed`;
  } else if (fieldRoll === 3) {
    // Spliced in as text: building it as a value would overflow our own stack when serialized.
    const depth = random.pick([100, 2_000, 20_000]);
    return withLiteral(copy, path, deeplyNested(depth, random), `${where} nested ${depth} deep`);
  } else if (fieldRoll === 4) {
    const key = random.pick(['__proto__', 'constructor', 'prototype', random.string(8), 'toString', '']);
    const extra = JSON.stringify({ [key]: random.pick(WRONG_VALUES) }).slice(1, -1);
    const body = text.startsWith('{') && text.length > 2 ? `{${extra},${text.slice(1)}` : text;
    return { mutation: `unknown field ${JSON.stringify(key)}`, headers: JSON_HEADERS, body, mayBeValid: true };
  } else {
    // Numbers as JSON text allows, beyond what JavaScript keeps: 1e309 parses to Infinity.
    const literal = random.pick(['1e309', '-1e309', '-0', '1e-400', '123456789012345678901234567890']);
    return withLiteral(copy, path, literal, `${where} = ${literal}`);
  }
  return { mutation, headers: JSON_HEADERS, body: JSON.stringify(copy), mayBeValid: true };
}

/** A bad query string for a GET endpoint: wrong types, malformed escapes, repeats, huge values. */
export function mutateQuery(random: SeededRandom, names: readonly string[]): FuzzRequest {
  const name = random.chance(0.85) ? random.pick(names) : random.string(6, 'abcdefghijklmnopqrstuvwxyz');
  const value = random.pick([
    '-1',
    'NaN',
    '1e309',
    '0',
    '99999999999999999999',
    '',
    '%',
    '%E0%A4%A',
    '%00',
    'not-a-date',
    '2026-02-30T00:00:00Z',
    encodeURIComponent(random.string(20)),
    'x'.repeat(random.pick([100, 5_000])),
    '[object Object]',
    '../../',
  ]);
  const repeats = random.chance(0.2) ? `&${name}=${value}` : '';
  const bracket = random.chance(0.1) ? '[]' : '';
  return {
    mutation: `${name}${bracket}=${value.slice(0, 40)}`,
    headers: {},
    body: undefined,
    query: `${name}${bracket}=${value}${repeats}`,
    mayBeValid: true,
  };
}
