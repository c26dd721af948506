import { z } from 'zod';
import { MAX_PAYLOAD_DEPTH, nestsDeeperThan } from './json-depth.js';
import { OBSERVATION_TYPES } from './telemetry.js';

/** What one `POST /v1/ingest` may carry; over any of them the request (or the event) gets 413. */
export const INGEST_LIMITS = {
  bodyBytes: 5 * 1024 * 1024,
  eventBytes: 1024 * 1024,
  batchEvents: 1_000,
} as const;

export const INGEST_EVENT_TYPES = ['trace-create', 'observation-create', 'observation-update', 'score-create'] as const;
export type IngestEventType = (typeof INGEST_EVENT_TYPES)[number];

export const OBSERVATION_LEVELS = ['DEBUG', 'DEFAULT', 'WARNING', 'ERROR'] as const;

/**
 * Client-chosen ids: UUIDs recommended; OpenTelemetry's hex trace and span ids are accepted too.
 * Not U+0000 or an unpaired surrogate, which Postgres text cannot hold (an id is looked up as given,
 * so it cannot be replaced the way other text is).
 */
const entityId = z
  .string()
  .min(1)
  .max(256)
  // biome-ignore lint/suspicious/noControlCharactersInRegex: U+0000 is the character Postgres refuses
  .refine((id) => !/[\u0000\p{Cs}]/u.test(id), 'must not contain U+0000 or an unpaired surrogate');
/** Prompts, completions and metadata: any JSON a stored jsonb can hold. */
const payload = z
  .unknown()
  .refine((value) => !nestsDeeperThan(value, MAX_PAYLOAD_DEPTH), `nests deeper than ${MAX_PAYLOAD_DEPTH} levels`);
const isoTime = z.iso.datetime({ offset: true });
const count = z
  .number()
  .int()
  .min(0)
  .max(2 ** 31 - 1);

export const traceCreateBodySchema = z.object({
  id: entityId,
  name: z.string().max(1_000).optional(),
  sessionId: z.string().max(256).optional(),
  userId: z.string().max(256).optional(),
  tags: z.array(z.string().max(200)).max(50).optional(),
  metadata: payload.optional(),
  input: payload.optional(),
  output: payload.optional(),
  /** Defaults to the envelope's timestamp. */
  startTime: isoTime.optional(),
  endTime: isoTime.optional(),
});

export const usageSchema = z.object({
  inputTokens: count.optional(),
  outputTokens: count.optional(),
  cachedInputTokens: count.optional(),
});

const observationFields = {
  traceId: entityId,
  parentId: entityId.nullable(),
  type: z.enum(OBSERVATION_TYPES),
  name: z.string().max(1_000),
  provider: z.string().max(200),
  model: z.string().max(200),
  startTime: isoTime,
  endTime: isoTime,
  /** When the first token arrived (time to first token = this − startTime). */
  completionStartTime: isoTime,
  usage: usageSchema,
  /** Computed from the price table (and the org's overrides) when absent. */
  costUsd: z.number().min(0).max(1e9),
  status: z.enum(['success', 'error']),
  level: z.enum(OBSERVATION_LEVELS),
  statusMessage: z.string().max(10_000),
  input: payload,
  output: payload,
  metadata: payload,
};

export const observationCreateBodySchema = z
  .object(observationFields)
  .partial()
  .extend({ id: entityId, traceId: entityId, type: z.enum(OBSERVATION_TYPES), startTime: isoTime });

/** Any fields of an observation; may arrive before its create, and is merged when the create comes. */
export const observationUpdateBodySchema = z.object(observationFields).partial().extend({ id: entityId });

export const scoreCreateBodySchema = z.object({
  id: entityId,
  traceId: entityId,
  observationId: entityId.optional(),
  name: z.string().min(1).max(200),
  value: z.number(),
  comment: z.string().max(10_000).optional(),
  source: z.string().min(1).max(50).optional(),
});

const envelope = <TType extends IngestEventType, TBody extends z.ZodType>(type: TType, body: TBody) =>
  z.object({
    /** Unique per event: a resent event with the same id is acknowledged and not applied twice. */
    id: entityId,
    type: z.literal(type),
    timestamp: isoTime,
    body,
  });

export const ingestEventSchema = z.discriminatedUnion('type', [
  envelope('trace-create', traceCreateBodySchema),
  envelope('observation-create', observationCreateBodySchema),
  envelope('observation-update', observationUpdateBodySchema),
  envelope('score-create', scoreCreateBodySchema),
]);
export type IngestEvent = z.infer<typeof ingestEventSchema>;
export type TraceCreateBody = z.infer<typeof traceCreateBodySchema>;
export type ObservationCreateBody = z.infer<typeof observationCreateBodySchema>;
export type ObservationUpdateBody = z.infer<typeof observationUpdateBodySchema>;
export type ScoreCreateBody = z.infer<typeof scoreCreateBodySchema>;

/** Events are checked one by one (so one bad event does not sink the batch); here only the envelope. */
export const ingestRequestSchema = z.object({
  batch: z.array(z.unknown()),
});

export const ingestResponseSchema = z.object({
  /** 201 applied, 200 already applied (a retry). */
  successes: z.array(z.object({ id: z.string(), status: z.number().int() })),
  /** 400 invalid, 413 over the event size limit. */
  errors: z.array(z.object({ id: z.string(), status: z.number().int(), message: z.string() })),
});
export type IngestResponse = z.infer<typeof ingestResponseSchema>;
