import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKey, createTestApp, signUp, type TestContext } from '../../test/test-app.js';

/** deploy/grafana-dashboard.json charts only what /metrics exports: a renamed metric breaks this, not a panel. */
const dashboard = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'deploy', 'grafana-dashboard.json'), 'utf8'),
) as { panels: { title: string; targets: { expr: string }[] }[] };

let context: TestContext;
let exported: Set<string>;

beforeAll(async () => {
  context = await createTestApp();
  const owner = await signUp(context.app, { orgName: 'Grafana' });
  const key = await createKey(owner.client, { name: 'app' });
  await context.app.inject({
    method: 'POST',
    url: '/v1/chat/completions',
    headers: { authorization: `Bearer ${key.secret}` },
    payload: { model: 'mock/echo', messages: [{ role: 'user', content: 'hello' }] },
  });
  const metrics = await context.app.inject({ method: 'GET', url: '/metrics' });
  exported = new Set([...metrics.body.matchAll(/^# TYPE (\S+) /gm)].map((match) => match[1] ?? ''));
});
afterAll(() => context?.close());

describe('the Grafana dashboard', () => {
  it('has panels, each with a query', () => {
    expect(dashboard.panels.length).toBeGreaterThan(10);
    for (const panel of dashboard.panels) expect(panel.targets.length, panel.title).toBeGreaterThan(0);
  });

  it('queries only metrics the server exports', () => {
    const queried = new Set<string>();
    for (const panel of dashboard.panels)
      for (const target of panel.targets)
        for (const [name] of target.expr.matchAll(/\b(?:switchyard|http|process|nodejs)_[a-z0-9_]+/g))
          queried.add(name.replace(/_(bucket|count|sum)$/, ''));
    const missing = [...queried].filter((name) => !exported.has(name));
    expect(missing).toEqual([]);
    expect(queried.size).toBeGreaterThan(10);
  });
});
