import { setTimeout as sleep } from 'node:timers/promises';

/** One gateway call as the client saw it. */
export type CallOutcome = {
  status: number | 'network';
  /** `x-switchyard-request-id`: the id of the call's record. */
  requestId: string | undefined;
  body: unknown;
};

/** One `POST /v1/chat/completions` with fetch, never throwing: what the client got, or that the connection failed. */
export async function chatCall(options: {
  url: string;
  apiKey: string;
  model: string;
  headers?: Record<string, string>;
}): Promise<CallOutcome> {
  try {
    const response = await fetch(`${options.url}/v1/chat/completions`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${options.apiKey}`,
        'content-type': 'application/json',
        ...options.headers,
      },
      body: JSON.stringify({ model: options.model, messages: [{ role: 'user', content: 'fault suite' }] }),
      signal: AbortSignal.timeout(60_000),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {}
    return { status: response.status, requestId: response.headers.get('x-switchyard-request-id') ?? undefined, body };
  } catch {
    return { status: 'network', requestId: undefined, body: undefined };
  }
}

/** Calls the gateway one call at a time, `pauseMs` apart, until `finish` is called. */
export function startCallLoop(options: { url: string; apiKey: string; model: string; pauseMs: number }) {
  const outcomes: CallOutcome[] = [];
  let stopping = false;
  const running = (async () => {
    while (!stopping) {
      outcomes.push(await chatCall(options));
      await sleep(options.pauseMs);
    }
  })();
  return {
    outcomes,
    async finish(): Promise<CallOutcome[]> {
      stopping = true;
      await running;
      return outcomes;
    },
  };
}

/** `status` counts, for the table's notes. */
export function countStatuses(outcomes: CallOutcome[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const outcome of outcomes) counts[String(outcome.status)] = (counts[String(outcome.status)] ?? 0) + 1;
  return counts;
}
