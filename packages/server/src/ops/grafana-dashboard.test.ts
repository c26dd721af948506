import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type FakeOpenAi, startFakeOpenAi } from '@switchyard/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signUp, type TestContext } from '../../test/test-app.js';

/** deploy/grafana-dashboard.json charts only what /metrics exports: a renamed metric breaks this, not a panel. */
const dashboard = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'deploy', 'grafana-dashboard.json'), 'utf8'),
) as { panels: { title: string; targets: { expr: string }[] }[] };

let upstream: FakeOpenAi;
let context: TestContext;
let exported: Set<string>;
/** The label names each exported metric's series carry. */
let labelsOf: Map<string, Set<string>>;

beforeAll(async () => {
  upstream = await startFakeOpenAi();
  context = await createTestApp({ env: { OPENAI_API_KEY: upstream.apiKey, OPENAI_BASE_URL: upstream.baseUrl } });
  const owner = await signUp(context.app, { orgName: 'Grafana' });
  const key = await createKey(owner.client, { name: 'app', scopes: ['gateway', 'ingest'] });
  // Traffic for every labelled series the panels read: a priced and streamed call (cost, time to
  // first token), an ingest batch, and an alert test.
  for (const payload of [
    { model: 'mock/echo', messages: [{ role: 'user', content: 'hello' }] },
    { model: 'openai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hello' }] },
  ]) {
    await context.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key.secret}` },
      payload,
    });
  }
  await context.app.inject({
    method: 'POST',
    url: '/v1/ingest',
    headers: { authorization: `Bearer ${key.secret}` },
    payload: { batch: [{ id: 'not-an-event', type: 'trace-create', body: {} }] },
  });
  const rule = await owner.client.request('POST', '/api/alerts', {
    name: 'Errors',
    condition: { metric: 'error_rate', thresholdPercent: 5 },
  });
  await owner.client.request('POST', `/api/alerts/${rule.json().id}/test`);
  const metrics = await context.app.inject({ method: 'GET', url: '/metrics' });
  exported = new Set([...metrics.body.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? ''));
  labelsOf = new Map();
  for (const [, name = '', labels = ''] of metrics.body.matchAll(/^([a-z_:][a-z0-9_:]*)\{([^}]*)\}/gm)) {
    const metric = name.replace(/_(bucket|count|sum)$/, '');
    const names = labelsOf.get(metric) ?? new Set();
    for (const [, label = ''] of labels.matchAll(/([a-z_]+)="/g)) names.add(label);
    labelsOf.set(metric, names);
  }
});
afterAll(async () => {
  await context?.close();
  await upstream?.close();
});

function queriedMetrics(expr: string): string[] {
  return [...expr.matchAll(/\b(?:switchyard|http|process|nodejs)_[a-z0-9_]+/g)].map(([name]) =>
    name.replace(/_(bucket|count|sum)$/, ''),
  );
}

describe('the Grafana dashboard', () => {
  it('has panels, each with a query', () => {
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
  });

  it('queries only metrics the server exports', () => {
    const queried = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets) for (const name of queriedMetrics(target.expr)) queried.add(name);
    const missing = [...queried].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
    expect(queried.size).toBeGreaterThan(10);
  });

  it('groups and filters only by labels its metrics carry', () => {
    // Prometheus adds instance and job to every series it scrapes.
    const scraped = ['instance', 'job'];
    const unknown: string[] = [];
    for (const panel of dashboard.panels) {
      for (const { expr } of panel.targets) {
        const carried = new Set([
          ...scraped,
          ...queriedMetrics(expr).flatMap((name) => [...(labelsOf.get(name) ?? [])]),
        ]);
        const grouped = [...expr.matchAll(/\bby \(([^)]*)\)/g)].flatMap(([, names = '']) => names.split(','));
        const matched = [...expr.matchAll(/[{,]\s*([a-z_]+)\s*(?:=~|!~|!=|=)/g)].map(([, name = '']) => name);
        for (const label of [...grouped, ...matched].map((name) => name.trim()).filter(Boolean)) {
          if (!carried.has(label)) unknown.push(`${panel.title}: ${label}`);
        }
      }
    }
    expect(unknown).toEqual([]);
    expect(labelsOf.get('switchyard_llm_cost_usd_total')).toEqual(new Set(['provider', 'model']));
  });
});
