import { type Dispatcher, request } from 'undici';
import { z } from 'zod';
import { safeParseJson } from '../../parse-json.js';
import { ProviderError } from './provider-error.js';

/**
 * POSTs JSON to a provider. A network failure, or an answer of 400 or more, becomes a ProviderError
 * carrying the provider's own message: OpenAI's, Anthropic's and Gemini's error bodies all put it
 * at `error.message`, with a string code at `error.code` or `error.type`.
 */
export async function postUpstream(options: {
  provider: string;
  url: string;
  headers: Record<string, string>;
  payload: unknown;
  dispatcher: Dispatcher;
  signal: AbortSignal;
}): Promise<Dispatcher.ResponseData> {
  let response: Dispatcher.ResponseData;
  try {
    response = await request(options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...options.headers },
      body: JSON.stringify(options.payload),
      dispatcher: options.dispatcher,
      signal: options.signal,
    });
  } catch (error) {
    throw new ProviderError({
      provider: options.provider,
      upstreamStatus: 0,
      code: options.signal.aborted ? 'upstream_aborted' : 'upstream_unreachable',
      message: `${options.provider} could not be reached: ${(error as Error).message}`,
      cause: error,
    });
  }
  if (response.statusCode >= 400) throw await errorFrom(options.provider, response);
  return response;
}

/** An error body that names its message (a string code may sit beside it); anything else keeps the text. */
const errorBodySchema = z.object({
  error: z
    .union([z.string(), z.object({ message: z.string(), code: z.unknown().optional(), type: z.unknown().optional() })])
    .optional(),
});

async function errorFrom(provider: string, response: Dispatcher.ResponseData): Promise<ProviderError> {
  const text = await response.body.text().catch(() => '');
  let message = text.slice(0, 500) || `HTTP ${response.statusCode}`;
  let code = `upstream_${response.statusCode}`;
  const parsed = safeParseJson({ text, schema: errorBodySchema });
  const error = parsed.success ? parsed.value.error : undefined;
  if (typeof error === 'string') message = error;
  else if (error) {
    message = error.message;
    const named = [error.code, error.type].find((value) => typeof value === 'string');
    if (typeof named === 'string') code = named;
  }
  const retryAfter = Number(response.headers['retry-after']);
  return new ProviderError({
    provider,
    upstreamStatus: response.statusCode,
    code,
    message: `${provider} answered ${response.statusCode}: ${message}`,
    retryAfterSeconds: Number.isFinite(retryAfter) ? retryAfter : undefined,
  });
}
