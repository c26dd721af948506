import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Ingest traffic with ids we track: each unit is a trace-create and a generation observation-create,
 * whose envelope ids make a resend idempotent. A batch the server did not acknowledge (5xx, 429, a
 * dropped connection) is resent with the same ids, as @switchyard/sdk does, until it is.
 */
export type IngestLoadOptions = {
  url: string;
  apiKey: string;
  /** Makes this load's ids and model name unique within the org. */
  prefix: string;
  workers?: number;
  /** Units (two events each) per request. */
  unitsPerBatch?: number;
  /** Pause between one worker's batches, to keep a steady, modest load on two cores. */
  pauseMs?: number;
  /** A batch still unacknowledged after this long counts as undelivered (a hang guard, not a timing). */
  giveUpAfterMs?: number;
};

export type IngestTotals = {
  /** Distinct events handed to the server at least once. */
  sent: number;
  /** Envelope ids in a 207's `successes` (committed, as the contract says). */
  acknowledged: string[];
  /** Events refused one by one with a 4xx in a 207 (valid events: must stay 0). */
  rejected: Array<{ id: string; status: number; message: string }>;
  /** Requests by answer: `207`, `503`, `network`, … */
  answers: Record<string, number>;
  /** Resends of events the server had not acknowledged. */
  resends: number;
  /** Events given up on after `giveUpAfterMs` (never acknowledged). */
  undelivered: number;
};

export type IngestLoad = {
  /** Live view of the totals so far (`acknowledged` is filled by `finish`). */
  totals: IngestTotals;
  acknowledgedSoFar(): number;
  /** Sends no new batches, lets every batch in flight be acknowledged (resending), and returns the totals. */
  finish(): Promise<IngestTotals>;
};

type Envelope = { id: string; type: string; timestamp: string; body: Record<string, unknown> };

/** The model name a load's generations carry, to count them in the rollups. */
export const loadModel = (prefix: string) => `load-${prefix}`;

/** The trace and observation ids behind an envelope id of this load. */
export function entityOf(envelopeId: string): { table: 'traces' | 'observations'; id: string } {
  const observation = envelopeId.endsWith(':o');
  return { table: observation ? 'observations' : 'traces', id: envelopeId.slice(0, -2) + (observation ? '-g' : '') };
}

function unitEvents(prefix: string, unit: number): Envelope[] {
  const now = new Date().toISOString();
  const traceId = `${prefix}-${unit}`;
  return [
    { id: `${traceId}:t`, type: 'trace-create', timestamp: now, body: { id: traceId, name: 'fault-load' } },
    {
      id: `${traceId}:o`,
      type: 'observation-create',
      timestamp: now,
      body: {
        id: `${traceId}-g`,
        traceId,
        type: 'generation',
        provider: 'faults',
        model: loadModel(prefix),
        startTime: now,
        endTime: now,
        usage: { inputTokens: 1, outputTokens: 1 },
      },
    },
  ];
}

export function startIngestLoad(options: IngestLoadOptions): IngestLoad {
  const workers = options.workers ?? 3;
  const unitsPerBatch = options.unitsPerBatch ?? 25;
  const giveUpAfterMs = options.giveUpAfterMs ?? 120_000;
  const acknowledged = new Set<string>();
  const totals: IngestTotals = {
    sent: 0,
    acknowledged: [],
    rejected: [],
    answers: {},
    resends: 0,
    undelivered: 0,
  };
  const count = (answer: string) => {
    totals.answers[answer] = (totals.answers[answer] ?? 0) + 1;
  };
  let stopping = false;
  let nextUnit = 0;

  async function deliver(events: Envelope[]): Promise<void> {
    let pending = events;
    const started = Date.now();
    for (let attempt = 0; pending.length; attempt++) {
      if (attempt > 0) totals.resends += pending.length;
      if (Date.now() - started > giveUpAfterMs) {
        totals.undelivered += pending.length;
        return;
      }
      let retryAfterMs = Math.min(2_000, 250 * 2 ** attempt);
      try {
        const response = await fetch(`${options.url}/v1/ingest`, {
          method: 'POST',
          headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
          body: JSON.stringify({ batch: pending }),
          signal: AbortSignal.timeout(30_000),
        });
        count(String(response.status));
        const text = await response.text();
        if (response.status === 207) {
          const body = JSON.parse(text) as {
            successes: Array<{ id: string }>;
            errors: Array<{ id: string; status: number; message: string }>;
          };
          for (const success of body.successes) acknowledged.add(success.id);
          const retryable = new Set(body.errors.filter((error) => error.status >= 500).map((error) => error.id));
          totals.rejected.push(...body.errors.filter((error) => error.status < 500));
          pending = pending.filter((event) => retryable.has(event.id));
          if (!pending.length) return;
        } else if (response.status === 429 || response.status >= 500) {
          const retryAfter = Number(response.headers.get('retry-after'));
          if (retryAfter > 0) retryAfterMs = Math.min(2_000, retryAfter * 1000);
        } else {
          // A 4xx for the whole batch is final, as the SDK treats it.
          totals.rejected.push(...pending.map((event) => ({ id: event.id, status: response.status, message: text })));
          return;
        }
      } catch {
        count('network');
      }
      await sleep(retryAfterMs);
    }
  }

  async function worker(): Promise<void> {
    while (!stopping) {
      const events: Envelope[] = [];
      for (let index = 0; index < unitsPerBatch; index++) events.push(...unitEvents(options.prefix, nextUnit++));
      totals.sent += events.length;
      await deliver(events);
      if (options.pauseMs) await sleep(options.pauseMs);
    }
  }

  const running = Promise.all(Array.from({ length: workers }, () => worker()));
  return {
    totals,
    acknowledgedSoFar: () => acknowledged.size,
    async finish() {
      stopping = true;
      await running;
      totals.acknowledged = [...acknowledged];
      return totals;
    },
  };
}
