import {
  type AlertCondition,
  type AlertRule,
  alertEventSchema,
  alertRuleBodySchema,
  alertRulePatchSchema,
  alertRuleSchema,
  pageQuerySchema,
  pageSchema,
  type Role,
  roleAtLeast,
} from '@switchyard/shared';
import { z } from 'zod';
import { access, findApiKey, findOrgById, principalOf } from '../../auth/index.js';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { API_ERRORS } from '../../http/error-responses.js';
import { badRequest, notFound } from '../../http/http-error.js';
import { refuseNonPublicUrl } from '../../http/private-network.js';
import type { ZodApp } from '../../http/zod-app.js';
import type { AlertEvaluator } from '../alerts/alert-evaluator.js';
import {
  createAlertRule,
  deleteAlertRule,
  findAlertRule,
  listAlertEvents,
  listAlertRules,
  toPublicAlertEvent,
  toPublicAlertRule,
  updateAlertRule,
} from '../alerts/alert-store.js';
import { webhookHost } from '../alerts/alert-webhook.js';

const tags = ['alerts'];
const idParams = z.object({ id: z.uuid() });

/**
 * A webhook URL's path is its secret (anyone holding a Slack URL can post to the channel): members
 * and viewers see where messages go, admins and owners, who edit it, the whole URL.
 */
function forRole(rule: AlertRule, role: Role): AlertRule {
  if (roleAtLeast(role, 'admin') || !rule.webhookUrl) return rule;
  const url = new URL(rule.webhookUrl);
  return { ...rule, webhookUrl: `${url.protocol}//${webhookHost(rule.webhookUrl)}/…` };
}

/** Alert rules: every member reads them; admins and owners create, change, delete and test them. */
export type AlertRoutesDeps = {
  db: Database;
  clock: Clock;
  alertEvaluator: AlertEvaluator;
  config: Pick<Config, 'allowPrivateUrls'>;
};

export function registerAlertRoutes(app: ZodApp, deps: AlertRoutesDeps): void {
  const { db, alertEvaluator, clock, config } = deps;

  /** A budget rule about a key this org does not have, or one without a budget, would never fire: refuse it. */
  async function checkCondition(orgId: string, condition: AlertCondition | undefined): Promise<void> {
    if (condition?.metric !== 'key_budget' || !condition.apiKeyId) return;
    const key = await findApiKey(db, orgId, condition.apiKeyId);
    if (!key) throw badRequest('body.condition.apiKeyId: is not an API key of this org', 'condition.apiKeyId');
    if (key.budgetUsd === null || !key.budgetPeriod)
      throw badRequest(
        `body.condition.apiKeyId: API key "${key.name}" has no budget; create a key with budgetUsd and budgetPeriod`,
        'condition.apiKeyId',
      );
  }

  app.get(
    '/api/alerts',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: "The org's alert rules, newest first, with each rule's state and last measured value",
        querystring: pageQuerySchema,
        response: { 200: pageSchema(alertRuleSchema), ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const page = await listAlertRules(db, { orgId: principal.orgId, ...request.query });
      return { ...page, data: page.data.map((rule) => forRole(rule, principal.role)) };
    },
  );

  app.post(
    '/api/alerts',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Create an alert rule: error rate, p95 latency, spend or API key budget, evaluated every minute',
        body: alertRuleBodySchema,
        response: { 201: alertRuleSchema, ...API_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      refuseNonPublicUrl(request.body.webhookUrl, 'webhookUrl', config.allowPrivateUrls);
      await checkCondition(principal.orgId, request.body.condition);
      const row = await createAlertRule(db, principal.orgId, request.body);
      return reply.code(201).send(toPublicAlertRule(row));
    },
  );

  app.get(
    '/api/alerts/:id',
    {
      config: { access: access.member('viewer') },
      schema: { tags, summary: 'One alert rule', params: idParams, response: { 200: alertRuleSchema, ...API_ERRORS } },
    },
    async (request) => {
      const principal = principalOf(request);
      const row = await findAlertRule(db, principal.orgId, request.params.id);
      if (!row) throw notFound('Alert rule');
      return forRole(toPublicAlertRule(row), principal.role);
    },
  );

  app.patch(
    '/api/alerts/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Change an alert rule; a new condition replaces the old one whole',
        params: idParams,
        body: alertRulePatchSchema,
        response: { 200: alertRuleSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      refuseNonPublicUrl(request.body.webhookUrl, 'webhookUrl', config.allowPrivateUrls);
      await checkCondition(principal.orgId, request.body.condition);
      const row = await updateAlertRule(db, {
        orgId: principal.orgId,
        id: request.params.id,
        patch: request.body,
        now: new Date(clock.now()),
      });
      if (!row) throw notFound('Alert rule');
      return toPublicAlertRule(row);
    },
  );

  app.delete(
    '/api/alerts/:id',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: 'Delete an alert rule and its history',
        params: idParams,
        response: { 204: z.null(), ...API_ERRORS },
      },
    },
    async (request, reply) => {
      const principal = principalOf(request);
      if (!(await deleteAlertRule(db, principal.orgId, request.params.id))) throw notFound('Alert rule');
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/alerts/:id/events',
    {
      config: { access: access.member('viewer') },
      schema: {
        tags,
        summary: "A rule's notifications (firing, resolved, test) with their delivery outcome, newest first",
        params: idParams,
        querystring: pageQuerySchema,
        response: { 200: pageSchema(alertEventSchema), ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      if (!(await findAlertRule(db, principal.orgId, request.params.id))) throw notFound('Alert rule');
      return listAlertEvents(db, { orgId: principal.orgId, ruleId: request.params.id, ...request.query });
    },
  );

  app.post(
    '/api/alerts/:id/test',
    {
      config: { access: access.member('admin') },
      schema: {
        tags,
        summary: "Send a test message to the rule's webhook now; answers the recorded event with its delivery outcome",
        params: idParams,
        response: { 200: alertEventSchema, ...API_ERRORS },
      },
    },
    async (request) => {
      const principal = principalOf(request);
      const rule = await findAlertRule(db, principal.orgId, request.params.id);
      if (!rule) throw notFound('Alert rule');
      const org = await findOrgById(db, principal.orgId);
      if (!org) throw notFound('Organization');
      return toPublicAlertEvent(await alertEvaluator.sendTest(rule, org, new Date(clock.now())));
    },
  );
}
