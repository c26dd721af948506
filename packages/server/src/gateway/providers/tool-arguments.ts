import { safeParseJson } from '../../parse-json.js';

/**
 * A tool call's arguments (a JSON string in OpenAI's shape) as the object other providers' shapes
 * carry: `{}` when there are none, and what `invalid` makes of text that is not JSON.
 */
export function parseToolArguments(text: string | undefined, invalid: (text: string) => unknown = () => ({})): unknown {
  if (!text) return {};
  const parsed = safeParseJson({ text });
  return parsed.success ? parsed.value : invalid(text);
}
