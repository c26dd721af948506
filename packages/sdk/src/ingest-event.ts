/**
 * The events the SDK sends to `POST /v1/ingest`, typed here rather than imported so the published
 * declarations stand alone; `ingest-event.test.ts` checks they are the ones `@switchyard/shared` accepts.
 */

export type ObservationType = 'generation' | 'span' | 'event' | 'tool' | 'agent' | 'retrieval';
export type ObservationLevel = 'DEBUG' | 'DEFAULT' | 'WARNING' | 'ERROR';

export type Usage = { inputTokens?: number; outputTokens?: number; cachedInputTokens?: number };

export type TraceBody = {
  id: string;
  name?: string;
  sessionId?: string;
  userId?: string;
  tags?: string[];
  metadata?: unknown;
  input?: unknown;
  output?: unknown;
  startTime?: string;
  endTime?: string;
};

export type ObservationFields = {
  traceId?: string;
  parentId?: string | null;
  type?: ObservationType;
  name?: string;
  provider?: string;
  model?: string;
  startTime?: string;
  endTime?: string;
  completionStartTime?: string;
  usage?: Usage;
  status?: 'success' | 'error';
  level?: ObservationLevel;
  statusMessage?: string;
  input?: unknown;
  output?: unknown;
  metadata?: unknown;
};

export type ObservationCreateBody = ObservationFields & {
  id: string;
  traceId: string;
  type: ObservationType;
  startTime: string;
};
export type ObservationUpdateBody = ObservationFields & { id: string };

export type ScoreBody = {
  id: string;
  traceId: string;
  observationId?: string;
  name: string;
  value: number;
  comment?: string;
  source?: string;
};

type Envelope<TType extends string, TBody> = { id: string; type: TType; timestamp: string; body: TBody };

export type IngestEnvelope =
  | Envelope<'trace-create', TraceBody>
  | Envelope<'observation-create', ObservationCreateBody>
  | Envelope<'observation-update', ObservationUpdateBody>
  | Envelope<'score-create', ScoreBody>;

export type IngestEventType = IngestEnvelope['type'];
export type IngestBody<TType extends IngestEventType> = Extract<IngestEnvelope, { type: TType }>['body'];

/** A fresh envelope: its id is chosen once, so every resend of it is recognised by the server. */
export function createEnvelope<TType extends IngestEventType>(type: TType, body: IngestBody<TType>): IngestEnvelope {
  return { id: newId(), type, timestamp: new Date().toISOString(), body } as IngestEnvelope;
}

/** `crypto.randomUUID()` is global in Node 20 and in every edge runtime. */
export function newId(): string {
  return globalThis.crypto.randomUUID();
}
