export type Readiness = {
  status: number;
  body: { status?: string; checks?: Record<'database' | 'kv', { status: string; kind: string; error?: string }> };
};

/** `GET /ready` as a load balancer sees it. */
export async function readiness(url: string): Promise<Readiness> {
  const response = await fetch(`${url}/ready`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as Readiness['body'] };
}
