export type HttpErrorOptions = {
  /** Machine-readable code, e.g. `invalid_api_key`, `not_found`. */
  code: string;
  message: string;
  /** The request field at fault, when there is one (OpenAI's `param`). */
  param?: string;
  details?: unknown;
  headers?: Record<string, string>;
  cause?: unknown;
  /** OpenAI's `type`; derived from the status when absent. */
  type?: string;
};

/** An error whose message is safe to show the client. Anything else thrown becomes a bare 500. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly param: string | undefined;
  readonly details: unknown;
  readonly headers: Record<string, string>;
  readonly type: string | undefined;

  constructor(status: number, options: HttpErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'HttpError';
    this.status = status;
    this.code = options.code;
    this.param = options.param;
    this.details = options.details;
    this.headers = options.headers ?? {};
    this.type = options.type;
  }
}

export const badRequest = (message: string, param?: string) =>
  new HttpError(400, { code: 'invalid_request', message, param });
export const unauthorized = (message: string, code = 'unauthorized') => new HttpError(401, { code, message });
export const forbidden = (message: string, code = 'forbidden') => new HttpError(403, { code, message });
export const notFound = (what: string) => new HttpError(404, { code: 'not_found', message: `${what} not found` });
export const conflict = (message: string, code = 'conflict') => new HttpError(409, { code, message });
export const payloadTooLarge = (message: string) => new HttpError(413, { code: 'payload_too_large', message });
export const serviceUnavailable = (message: string, retryAfterMs: number) =>
  new HttpError(503, {
    code: 'unavailable',
    message,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    type: 'server_error',
  });
export const tooManyRequests = (message: string, retryAfterMs: number, code = 'rate_limited') =>
  new HttpError(429, {
    code,
    message,
    headers: { 'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))) },
    type: 'rate_limit_error',
  });
