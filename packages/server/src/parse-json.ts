import { z } from 'zod';

/**
 * Text that is not JSON, or JSON that is not what the schema expects. The message reads after a
 * subject: "body is " + message gives "body is not valid JSON: …".
 */
export class JsonParseError extends Error {
  /** The first part of the text, to say what arrived without logging a whole payload. */
  readonly excerpt: string;

  constructor(options: { message: string; text: string; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.name = 'JsonParseError';
    this.excerpt = options.text.slice(0, 200);
  }
}

export type ParseJsonResult<TValue> = { success: true; value: TValue } | { success: false; error: JsonParseError };

const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Any JSON object, not an array or null; its members are left to whoever reads them. */
export const jsonObjectSchema = z.custom<Record<string, unknown>>(isJsonObject, 'expected a JSON object');

/**
 * Parses untrusted JSON (a request, a provider's answer or stream event, a value from the kv) and,
 * given a schema, checks it; never throws.
 *
 * @example
 * const parsed = safeParseJson({ text, schema: jsonObjectSchema });
 * if (parsed.success) use(parsed.value);
 */
export function safeParseJson(options: { text: string }): ParseJsonResult<unknown>;
export function safeParseJson<TSchema extends z.ZodType>(options: {
  text: string;
  schema: TSchema;
}): ParseJsonResult<z.output<TSchema>>;
export function safeParseJson(options: { text: string; schema?: z.ZodType }): ParseJsonResult<unknown> {
  const { text, schema } = options;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = `not valid JSON: ${(error as Error).message}`;
    return { success: false, error: new JsonParseError({ message, text, cause: error }) };
  }
  if (!schema) return { success: true, value };
  const checked = schema.safeParse(value);
  if (checked.success) return { success: true, value: checked.data };
  const issue = checked.error.issues[0];
  const where = issue?.path.length ? `${issue.path.map(String).join('.')}: ` : '';
  const message = `not the JSON expected: ${where}${issue?.message ?? 'invalid'}`;
  return { success: false, error: new JsonParseError({ message, text, cause: checked.error }) };
}

/**
 * `safeParseJson` for callers that cannot go on without the value: throws a JsonParseError (never
 * a ZodError, which the error handler would answer as the client's own mistake).
 *
 * @example
 * const chunk = parseJson({ text: event.data, schema: jsonObjectSchema });
 */
export function parseJson(options: { text: string }): unknown;
export function parseJson<TSchema extends z.ZodType>(options: { text: string; schema: TSchema }): z.output<TSchema>;
export function parseJson(options: { text: string; schema?: z.ZodType }): unknown {
  const parsed = options.schema
    ? safeParseJson({ text: options.text, schema: options.schema })
    : safeParseJson({ text: options.text });
  if (!parsed.success) throw parsed.error;
  return parsed.value;
}
