import { z } from 'zod';
import { safeParseJson } from '../../parse-json.js';
import type { AttributeReader } from './attribute-reader.js';
import type { AttributeValue } from './otlp-span.js';

export type TraceAttributes = { sessionId?: string; userId?: string; tags?: string[]; name?: string };

const MAX_ID_LENGTH = 256;
const MAX_TAGS = 50;
const MAX_TAG_LENGTH = 200;

/**
 * Trace-level facts a span may carry: the session, the user, tags and an explicit trace name, from
 * Langfuse's `langfuse.*`, Vercel AI SDK telemetry metadata, and the OpenTelemetry conventions.
 */
export function traceAttributesOf(attributes: AttributeReader): TraceAttributes {
  const sessionId = attributes
    .readString('langfuse.session.id', 'ai.telemetry.metadata.sessionId', 'session.id', 'gen_ai.conversation.id')
    ?.slice(0, MAX_ID_LENGTH);
  const userId = attributes
    .readString('langfuse.user.id', 'ai.telemetry.metadata.userId', 'user.id', 'enduser.id')
    ?.slice(0, MAX_ID_LENGTH);
  const tags = tagsOf(attributes.readValue('langfuse.trace.tags', 'ai.telemetry.metadata.tags'));
  const name = attributes.readString('langfuse.trace.name');
  return {
    ...(sessionId ? { sessionId } : {}),
    ...(userId ? { userId } : {}),
    ...(tags.length ? { tags } : {}),
    ...(name ? { name } : {}),
  };
}

/** Tags as a string array: an array attribute, a JSON array string, or a comma-separated string. */
function tagsOf(value: AttributeValue | undefined): string[] {
  let items: unknown[] = [];
  if (Array.isArray(value)) items = value;
  else if (typeof value === 'string') items = parseTagString(value);
  const tags = items
    .filter((item) => typeof item === 'string' || typeof item === 'number')
    .map((item) => String(item).trim().slice(0, MAX_TAG_LENGTH))
    .filter(Boolean);
  return [...new Set(tags)].slice(0, MAX_TAGS);
}

function parseTagString(value: string): unknown[] {
  if (value.trim().startsWith('[')) {
    const parsed = safeParseJson({ text: value, schema: z.array(z.unknown()) });
    // Not a JSON array after all: read it as a comma-separated list.
    if (parsed.success) return parsed.value;
  }
  return value.split(',');
}
