import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { HttpError, payloadTooLarge } from './http-error.js';

type Issue = { path: PropertyKey[]; message: string };

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'insufficient_quota',
  403: 'permission_error',
  404: 'not_found_error',
  409: 'conflict_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
};

/**
 * The wire shape a domain answers errors in: OpenAI's on `/v1`, Anthropic's on `/v1/messages` (its
 * SDK reads it), ours (`{ error: { code, message, details } }`) on `/api` and the rest.
 */
export type ErrorShape = 'openai' | 'anthropic' | 'api';

/**
 * What a layer below HTTP knows about its own failures: the HttpError a client should get for one
 * (the database gone away is a 503), or undefined for errors it does not know.
 */
export type ErrorTranslator = (error: unknown) => HttpError | undefined;

const knowsNothing: ErrorTranslator = () => undefined;

/** The shape of a URL no route matched, by its prefix. */
export function shapeOfUrl(url: string): ErrorShape {
  if (url.startsWith('/v1/messages')) return 'anthropic';
  return url.startsWith('/v1/') || url === '/v1' ? 'openai' : 'api';
}

function fieldName(prefix: string | undefined, path: PropertyKey[]): string {
  const field = path.map(String).join('.');
  return [prefix, field].filter(Boolean).join('.') || (prefix ?? 'request');
}

function fromIssues(issues: Issue[], where?: string): HttpError {
  const first = issues[0];
  const param = first ? fieldName(undefined, first.path) : undefined;
  const describe = (issue: Issue) => `${fieldName(where, issue.path)}: ${issue.message}`;
  return new HttpError(400, {
    code: 'invalid_request',
    message: issues.length ? issues.map(describe).join('; ') : 'invalid request',
    param: param || undefined,
    details: issues.map((issue) => ({ field: fieldName(where, issue.path), message: issue.message })),
  });
}

/** Turns anything thrown into an HttpError; unknown errors become an opaque 500. */
export function toHttpError(
  error: unknown,
  translate: ErrorTranslator = knowsNothing,
): { httpError: HttpError; unexpected: boolean } {
  if (error instanceof HttpError) return { httpError: error, unexpected: false };
  if (error instanceof ZodError) return { httpError: fromIssues(error.issues), unexpected: false };
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const issues = fastifyError.validation.map((entry) => ({
      path: entry.instancePath.split('/').filter(Boolean),
      message: entry.message ?? 'invalid',
    }));
    return { httpError: fromIssues(issues, fastifyError.validationContext), unexpected: false };
  }
  const translated = translate(error);
  if (translated) return { httpError: translated, unexpected: false };
  const status = fastifyError?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = (fastifyError.code ?? 'bad_request').replace(/^FST_ERR_/, '').toLowerCase();
    return { httpError: new HttpError(status, { code, message: fastifyError.message }), unexpected: false };
  }
  return {
    httpError: new HttpError(500, { code: 'internal_error', message: 'Internal server error', type: 'server_error' }),
    unexpected: true,
  };
}

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  402: 'billing_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  529: 'overloaded_error',
};

export function errorBody(shape: ErrorShape, error: HttpError): unknown {
  if (shape === 'anthropic') {
    const type = ANTHROPIC_TYPES[error.status] ?? (error.status >= 500 ? 'api_error' : 'invalid_request_error');
    const details = error.details === undefined ? {} : { details: error.details };
    return { type: 'error', error: { type, message: error.message, ...details } };
  }
  if (shape === 'openai') {
    return {
      error: {
        message: error.message,
        type:
          error.type ?? OPENAI_TYPES[error.status] ?? (error.status >= 500 ? 'server_error' : 'invalid_request_error'),
        code: error.code,
        param: error.param ?? null,
      },
    };
  }
  return {
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  };
}

/** Fastify's own "body is too large" does not say how large is allowed; ours does. */
function namingBodyLimit(error: unknown, request: FastifyRequest): unknown {
  if ((error as FastifyError)?.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') return error;
  return payloadTooLarge(`Request body is larger than the ${formatBytes(request.routeOptions.bodyLimit)} limit`);
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) === 0) return `${bytes / (1024 * 1024)} MB`;
  if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} kB`;
  return `${bytes} bytes`;
}

/** A domain's error handler: every error its routes throw, answered in its shape. */
export function createErrorHandler(shape: ErrorShape, translate: ErrorTranslator = knowsNothing) {
  return (error: unknown, request: FastifyRequest, reply: FastifyReply) => {
    const { httpError, unexpected } = toHttpError(namingBodyLimit(error, request), translate);
    if (unexpected) request.log.error({ err: error }, 'unhandled error');
    else if (httpError.status >= 500) request.log.warn({ err: error }, httpError.message);
    return reply.code(httpError.status).headers(httpError.headers).send(errorBody(shape, httpError));
  };
}
