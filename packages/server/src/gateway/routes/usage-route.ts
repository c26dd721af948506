import { type KeyUsage, type UsageResponse, usageResponseSchema } from '@switchyard/shared';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { access, findOrgById, limitsOf, principalOf } from '../../auth/index.js';
import type { Clock } from '../../clock.js';
import type { Database } from '../../db/client.js';
import { apiKeys } from '../../db/schema.js';
import { errorResponses } from '../../http/error-responses.js';
import { notFound } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { LimitGuard } from '../limits/limit-guard.js';

/** Usage against limits: any member of the org (viewers too), or a key with the `admin` scope. */
export type UsageRouteDeps = { db: Database; clock: Clock; limits: LimitGuard };

export function registerUsageRoute(app: ZodApp, deps: UsageRouteDeps): void {
  const { db, limits, clock } = deps;

  app.get(
    '/api/usage',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags: ['usage'],
        summary: "The org's plan and limits, spend this month against its cap, and each live key's budget and headroom",
        description:
          'Read from the counters the gateway enforces limits with; reading never counts against them. ' +
          'Per-minute counts are null where no limit applies, because the gateway counts only what it limits.',
        response: { 200: usageResponseSchema, ...errorResponses({ shape: 'api', statuses: [401, 403, 404] }) },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      return usageReport({ db, limits, orgId: principal.orgId, now: new Date(clock.now()) });
    },
  );
}

async function usageReport(options: {
  db: Database;
  limits: LimitGuard;
  orgId: string;
  now: Date;
}): Promise<UsageResponse> {
  const { db, limits, orgId } = options;
  const org = await findOrgById(db, orgId);
  if (!org) throw notFound('Organization');
  const orgLimits = limitsOf(org);
  const liveKeys = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), isNull(apiKeys.revokedAt)))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));

  const [orgSpend, orgMinute, keys] = await Promise.all([
    limits.spendThisPeriod({ orgId, keyId: undefined, period: 'month' }),
    limits.usedThisMinute({
      scope: 'org',
      id: orgId,
      requestsPerMinute: orgLimits.requestsPerMinute,
      tokensPerMinute: orgLimits.tokensPerMinute,
    }),
    Promise.all(
      liveKeys.map(async (key): Promise<KeyUsage> => {
        const [spend, minute] = await Promise.all([
          limits.spendThisPeriod({ orgId, keyId: key.id, period: key.budgetPeriod ?? 'month' }),
          limits.usedThisMinute({
            scope: 'key',
            id: key.id,
            requestsPerMinute: key.requestsPerMinute,
            tokensPerMinute: key.tokensPerMinute,
          }),
        ]);
        return {
          id: key.id,
          name: key.name,
          prefix: key.prefix,
          budgetUsd: key.budgetUsd,
          budgetPeriod: key.budgetPeriod,
          spendThisPeriodUsd: spend.spendUsd,
          periodStart: spend.start.toISOString(),
          periodEnd: spend.end.toISOString(),
          requestsPerMinute: key.requestsPerMinute,
          tokensPerMinute: key.tokensPerMinute,
          requestsThisMinute: minute?.requests ?? null,
          tokensThisMinute: minute?.tokens ?? null,
          lastUsedAt: key.lastUsedAt?.toISOString() ?? null,
          expiresAt: key.expiresAt?.toISOString() ?? null,
        };
      }),
    ),
  ]);

  return {
    plan: org.plan,
    limits: orgLimits,
    org: {
      spendThisMonthUsd: orgSpend.spendUsd,
      periodStart: orgSpend.start.toISOString(),
      periodEnd: orgSpend.end.toISOString(),
      requestsThisMinute: orgMinute?.requests ?? null,
      tokensThisMinute: orgMinute?.tokens ?? null,
    },
    keys,
    generatedAt: options.now.toISOString(),
  };
}
