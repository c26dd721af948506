import type { IngestBody, IngestEventType } from './ingest-event.js';
import type { SwitchyardError } from './switchyard-error.js';

/** What traces, spans, scores and wrapped calls need from a client. */
export interface Recorder {
  readonly enabled: boolean;
  /** Masks, wraps in an envelope and queues one event. */
  record<TType extends IngestEventType>(type: TType, body: IngestBody<TType>): void;
  /** Rolls the dice for a new trace against `sampleRate`. */
  sampleTrace(): boolean;
  report(error: SwitchyardError): void;
}

export function nowIso(): string {
  return new Date().toISOString();
}

/** The entries of `fields` that are set, so an update never clears what it does not mention. */
export function definedFields<TFields extends object>(fields: TFields): Partial<TFields> {
  return Object.fromEntries(Object.entries(fields).filter(([, value]) => value !== undefined)) as Partial<TFields>;
}
