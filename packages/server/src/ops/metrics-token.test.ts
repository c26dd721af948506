import { apiErrorSchema } from '@switchyard/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestContext } from '../../test/test-app.js';

const METRICS_TOKEN = 'scrape-token-0123456789abcdef';

let context: TestContext;
beforeAll(async () => {
  context = await createTestApp({ env: { METRICS_TOKEN } });
});
afterAll(() => context?.close());

const scrape = (authorization?: string) =>
  context.app.inject({ url: '/metrics', headers: authorization ? { authorization } : {} });

describe('/metrics with METRICS_TOKEN set', () => {
  it('refuses a scrape without the token, in the API error shape', async () => {
    const response = await scrape();
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    const body = apiErrorSchema.parse(response.json());
    expect(body.error).toMatchObject({ code: 'unauthorized', message: expect.stringContaining('METRICS_TOKEN') });
    expect(response.body).not.toContain('switchyard_');
  });

  it('refuses a wrong token, one of another length, and the right one sent another way', async () => {
    for (const authorization of [
      `Bearer ${METRICS_TOKEN.slice(0, -1)}x`,
      `Bearer ${METRICS_TOKEN}-and-more`,
      `Basic ${METRICS_TOKEN}`,
      METRICS_TOKEN,
    ]) {
      const response = await scrape(authorization);
      expect(response.statusCode, authorization).toBe(401);
      expect(apiErrorSchema.parse(response.json()).error.code).toBe('unauthorized');
    }
  });

  it('serves the Prometheus text to a scraper with the token', async () => {
    const response = await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain');
    expect(response.body).toContain('# TYPE switchyard_llm_requests_total counter');
    expect(response.body).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/metrics",status_code="401"\} [1-9]/,
    );
  });

  it('keeps the token out of the logs', async () => {
    await scrape(`Bearer ${METRICS_TOKEN}`);
    expect(context.logs.text).not.toContain(METRICS_TOKEN);
  });
});
