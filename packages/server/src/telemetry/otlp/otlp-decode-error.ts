/**
 * What went wrong with an OTLP request body. The route answers `malformed` with 400,
 * `unsupported` (content type or encoding) with 415 and `too-large` with 413.
 */
export type OtlpDecodeErrorKind = 'malformed' | 'unsupported' | 'too-large';

/** An OTLP body that cannot be read; the message names the field and what is wrong with it. */
export class OtlpDecodeError extends Error {
  override readonly name = 'OtlpDecodeError';
  readonly kind: OtlpDecodeErrorKind;
  /** Where in the request the fault is, dotted (`resourceSpans.0.scopeSpans.1.spans.2.traceId`). */
  readonly field: string | undefined;

  constructor(message: string, options: { kind?: OtlpDecodeErrorKind; field?: string; cause?: unknown } = {}) {
    super(options.field ? `${options.field}: ${message}` : message, { cause: options.cause });
    this.kind = options.kind ?? 'malformed';
    this.field = options.field;
  }

  /** The same fault, seen from the message that contains it (`field` gets `segment.` in front). */
  within(segment: string): OtlpDecodeError {
    const field = this.field ? `${segment}.${this.field}` : segment;
    return new OtlpDecodeError(this.reason, { kind: this.kind, field, cause: this.cause });
  }

  /** The message without the field in front. */
  get reason(): string {
    return this.field ? this.message.slice(this.field.length + 2) : this.message;
  }
}
