import type { Attributes, AttributeValue } from './otlp-span.js';

/**
 * Reads a span's attributes for the mapping and remembers which keys it mapped, so the metadata
 * can carry only the rest. Every key named in a read counts as mapped, whether or not it was the
 * one used: `readString('gen_ai.response.model', 'gen_ai.request.model')` takes the first present
 * and drops both from the metadata.
 */
export class AttributeReader {
  readonly #attributes: Attributes;
  readonly #mapped = new Set<string>();

  constructor(attributes: Attributes) {
    this.#attributes = attributes;
  }

  /** The first of `keys` present, without marking anything as mapped. */
  peek(...keys: string[]): AttributeValue | undefined {
    for (const key of keys) {
      if (Object.hasOwn(this.#attributes, key)) return this.#attributes[key];
    }
    return undefined;
  }

  readValue(...keys: string[]): AttributeValue | undefined {
    for (const key of keys) this.#mapped.add(key);
    return this.peek(...keys);
  }

  /** The first of `keys` holding a non-empty string (numbers are written out: `user.id` may be 42). */
  readString(...keys: string[]): string | undefined {
    for (const key of keys) this.#mapped.add(key);
    for (const key of keys) {
      const value = this.peek(key);
      if (typeof value === 'string' && value.trim() !== '') return value;
      if (typeof value === 'number' && Number.isFinite(value)) return String(value);
    }
    return undefined;
  }

  /** The first of `keys` holding a finite number (or a string of one). */
  readNumber(...keys: string[]): number | undefined {
    for (const key of keys) this.#mapped.add(key);
    for (const key of keys) {
      const value = this.peek(key);
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof number === 'number' && Number.isFinite(number)) return number;
    }
    return undefined;
  }

  /** Marks keys (or, ending in `*`, every key with that prefix) as mapped without reading them. */
  drop(...patterns: string[]): void {
    for (const pattern of patterns) {
      if (!pattern.endsWith('*')) {
        this.#mapped.add(pattern);
        continue;
      }
      const prefix = pattern.slice(0, -1);
      for (const key of Object.keys(this.#attributes)) if (key.startsWith(prefix)) this.#mapped.add(key);
    }
  }

  /** The attributes no read or drop has mapped. */
  unmapped(): Attributes {
    return Object.fromEntries(Object.entries(this.#attributes).filter(([key]) => !this.#mapped.has(key)));
  }
}
