import { createServer } from 'node:http';
import { INGEST_LIMITS, type IngestEvent, ingestEventSchema } from '@switchyard/shared';
import { listenOnLoopback } from '@switchyard/testing';
import type { SwitchyardError, SwitchyardOptions } from '../src/index.js';

/**
 * A real HTTP server on loopback that speaks the ingest contract (DESIGN.md "Ingest"): checks the
 * key, the limits and every event against the shared schema, answers 207 with per-event results,
 * acknowledges a resent envelope id with 200 and keeps it once. It can be told to fail requests
 * (a status, with `retry-after`, or a dropped connection) or single events.
 */
export type IngestReceiver = {
  endpoint: string;
  apiKey: string;
  /** Every request that reached it, in order, with the envelope ids it carried. */
  requests: Array<{ ids: string[]; answered: number | 'closed' }>;
  /** Acknowledged events, each once, in order of first arrival. */
  events: IngestEvent[];
  /** The next `count` requests fail this way. */
  failNext(count: number, failure: RequestFailure): void;
  /** Decides a per-event error; `seen` is how many times this envelope id has arrived, this one included. */
  failEvents(decide: (event: IngestEvent, seen: number) => { status: number; message: string } | undefined): void;
  close(): Promise<void>;
};

export type RequestFailure = { status: number; retryAfter?: string } | 'close';

export async function startIngestReceiver(): Promise<IngestReceiver> {
  const failures: RequestFailure[] = [];
  const seen = new Map<string, number>();
  let decide: Parameters<IngestReceiver['failEvents']>[0] = () => undefined;
  const receiver = {
    apiKey: 'sy-test-ingest-key',
    requests: [] as IngestReceiver['requests'],
    events: [] as IngestEvent[],
  };
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks);
    const batch = (JSON.parse(raw.toString('utf8')) as { batch: Array<{ id?: string }> }).batch;
    const entry: IngestReceiver['requests'][number] = { ids: batch.map((event) => String(event.id)), answered: 0 };
    receiver.requests.push(entry);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      entry.answered = status;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(body));
    };
    const failure = failures.shift();
    if (failure === 'close') {
      entry.answered = 'closed';
      request.socket.destroy();
      return;
    }
    if (failure) {
      const headers = failure.retryAfter === undefined ? undefined : { 'retry-after': failure.retryAfter };
      return send(failure.status, { error: { message: `told to fail with ${failure.status}` } }, headers);
    }
    if (request.headers.authorization !== `Bearer ${receiver.apiKey}`)
      return send(401, { error: { message: 'bad key' } });
    if (raw.length > INGEST_LIMITS.bodyBytes || batch.length > INGEST_LIMITS.batchEvents) {
      return send(413, { error: { message: 'over the ingest limits' } });
    }
    const successes: Array<{ id: string; status: number }> = [];
    const errors: Array<{ id: string; status: number; message: string }> = [];
    for (const candidate of batch) {
      const id = String(candidate.id);
      const parsed = ingestEventSchema.safeParse(candidate);
      if (!parsed.success) {
        errors.push({ id, status: 400, message: parsed.error.message });
        continue;
      }
      const times = (seen.get(id) ?? 0) + 1;
      seen.set(id, times);
      const refusal = decide(parsed.data, times);
      if (refusal) {
        errors.push({ id, ...refusal });
        continue;
      }
      const first = !receiver.events.some((event) => event.id === id);
      if (first) receiver.events.push(parsed.data);
      successes.push({ id, status: first ? 201 : 200 });
    }
    send(207, { successes, errors });
  });
  const { origin, close } = await listenOnLoopback(server);
  return Object.assign(receiver, {
    endpoint: origin,
    failNext(count: number, failure: RequestFailure) {
      for (let index = 0; index < count; index += 1) failures.push(failure);
    },
    failEvents(next: typeof decide) {
      decide = next;
    },
    close,
  });
}

/** Client options for tests: the receiver's key and URL, fast timers, errors collected rather than logged. */
export function testOptions(
  receiver: IngestReceiver,
  overrides: SwitchyardOptions = {},
): SwitchyardOptions & { errors: SwitchyardError[] } {
  const errors: SwitchyardError[] = [];
  return {
    apiKey: receiver.apiKey,
    endpoint: receiver.endpoint,
    flushIntervalMs: 10,
    retryDelayMs: 1,
    onError: (error) => errors.push(error),
    ...overrides,
    errors,
  };
}

type BodyOf<TType extends IngestEvent['type']> = Extract<IngestEvent, { type: TType }>['body'];

/** The bodies of acknowledged events of one type. */
export function bodiesOf<TType extends IngestEvent['type']>(
  receiver: IngestReceiver,
  type: TType,
): Array<BodyOf<TType>> {
  return receiver.events.filter((event) => event.type === type).map((event) => event.body as BodyOf<TType>);
}
