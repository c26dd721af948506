import { NO_PROVIDER, parseModelRef } from '@switchyard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type ApiKeyPrincipal, apiKeyOf } from '../auth/index.js';
import { databaseHttpError } from '../db/http-errors.js';
import { toHttpError } from '../http/error-handler.js';
import { HttpError } from '../http/http-error.js';
import type { PriceStore } from '../pricing/index.js';
import { costTargetsOf, createCostEstimator } from './limits/cost-estimate.js';
import type { Admission, LimitGuard } from './limits/limit-guard.js';
import type { OrgProviderStore, ProviderResolver } from './providers/org-providers.js';
import { NO_USAGE } from './providers/provider.js';
import { toClientError } from './providers/upstream-error.js';
import { withEndUserOfBody } from './recording/body-end-user.js';
import type { GatewayCall, GatewayRecorder } from './recording/call-recorder.js';
import { readTraceHeaders } from './recording/trace-headers.js';
import type { RouteStore } from './routing/route-store.js';
import { type Attempt, planRoute, type RoutePlan, RoutingError } from './routing/router.js';

/** What one gateway call works with, from admission to record. */
export type CallServices = {
  routes: RouteStore;
  orgProviders: OrgProviderStore;
  prices: PriceStore;
  limits: LimitGuard;
  recorder: GatewayRecorder;
};

/** Aborts the upstream call when the client goes away before its answer is complete. */
export function abortOnDisconnect(request: FastifyRequest, reply: FastifyReply): AbortController {
  const controller = new AbortController();
  reply.raw.on('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  request.raw.on('aborted', () => controller.abort());
  return controller;
}

type Outcome = Pick<GatewayCall, 'status' | 'statusCode' | 'usage' | 'provider' | 'model'> &
  Partial<Pick<GatewayCall, 'ttftMs' | 'error' | 'output' | 'cacheStatus'>>;

/** What is known of a call before it runs. */
type CallBase = Omit<GatewayCall, keyof Outcome | 'latencyMs' | 'attempts'>;

/**
 * One gateway call from admission to record: authenticates the key, resolves the route, admits the
 * call against its limits, and at the end writes exactly one record and settles the limits.
 */
export class GatewayCallScope {
  readonly principal: ApiKeyPrincipal;
  readonly plan: RoutePlan;
  /** The org's providers over the server's. */
  readonly providers: ProviderResolver;
  readonly signal: AbortSignal;
  /** performance.now() at the start, for latency and time to first token. */
  readonly started: number;
  readonly #services: CallServices;
  readonly #request: FastifyRequest;
  readonly #base: CallBase;
  readonly #admission: Admission;

  private constructor(fields: {
    services: CallServices;
    request: FastifyRequest;
    principal: ApiKeyPrincipal;
    plan: RoutePlan;
    providers: ProviderResolver;
    signal: AbortSignal;
    started: number;
    base: CallBase;
    admission: Admission;
  }) {
    this.#services = fields.services;
    this.#request = fields.request;
    this.principal = fields.principal;
    this.plan = fields.plan;
    this.providers = fields.providers;
    this.signal = fields.signal;
    this.started = fields.started;
    this.#base = fields.base;
    this.#admission = fields.admission;
  }

  static async begin(options: {
    services: CallServices;
    request: FastifyRequest;
    reply: FastifyReply;
    endpoint: GatewayCall['endpoint'];
    model: string;
    input: unknown;
  }): Promise<GatewayCallScope> {
    const { services, request, reply } = options;
    const principal = apiKeyOf(request);
    const trace = withEndUserOfBody(readTraceHeaders(request.headers), request.body);
    const plan = await planRoute({ requested: options.model, orgId: principal.orgId, routes: services.routes });
    const providers = await services.orgProviders.resolverFor(principal);
    const pricing = await services.prices.pricingFor({
      orgId: principal.orgId,
      ownsModel: (model) => providers.ownsModel(model),
    });
    const startedAt = new Date();
    const started = performance.now();
    const base = {
      principal,
      requestId: request.id,
      trace,
      endpoint: options.endpoint,
      startedAt,
      input: options.input,
      pricing,
    };
    // Budgets hold the call's worst case over every target it may be sent to, at the prices it will pay.
    const cost = createCostEstimator({
      endpoint: options.endpoint,
      body: request.body,
      bodyBytes: Number(request.headers['content-length']) || undefined,
      targets: costTargetsOf({ plan, providers }),
      priceOf: pricing.priceOf,
    });
    let admission: Admission;
    try {
      admission = await services.limits.admit({ principal, cost });
    } catch (error) {
      // A refused call is recorded too, against the target it would have used first.
      if (error instanceof HttpError) {
        // A target always names its provider: routes are validated, and only `provider/model` plans directly.
        const first = plan.targets[0] ? parseModelRef(plan.targets[0].model) : undefined;
        services.recorder.record({
          ...base,
          routing: { requested: plan.requested, alias: plan.alias, attempts: [] },
          provider: first && 'provider' in first ? first.provider : NO_PROVIDER,
          model: plan.targets[0]?.model ?? plan.requested,
          status: 'error',
          statusCode: error.status,
          usage: NO_USAGE,
          error: error.message,
          latencyMs: performance.now() - started,
          attempts: 0,
        });
      }
      throw error;
    }
    reply.headers(admission.headers);
    const controller = abortOnDisconnect(request, reply);
    return new GatewayCallScope({
      services,
      request,
      principal,
      plan,
      providers,
      signal: controller.signal,
      started,
      base,
      admission,
    });
  }

  /** Records the call's end and settles its limits. Call exactly once. */
  finish(outcome: Outcome, attempts: Attempt[]): void {
    const costUsd = this.#services.recorder.record({
      ...this.#base,
      ...outcome,
      latencyMs: performance.now() - this.started,
      attempts: attempts.length,
      routing: { requested: this.plan.requested, alias: this.plan.alias, attempts },
    });
    const tokens = outcome.usage.inputTokens + outcome.usage.outputTokens;
    this.#admission
      .settle({ tokens, costUsd })
      .catch((error) => this.#request.log.warn({ err: error }, 'settling limits failed'));
  }

  /** Records a call that found no working target and returns the error to throw to the client. */
  fail(error: unknown): HttpError {
    const routingError = error instanceof RoutingError ? error : undefined;
    const cause = routingError?.last ?? error;
    const converted = toHttpError(cause, databaseHttpError);
    if (converted.unexpected && !toClientError(cause)) this.#request.log.error({ err: cause }, 'gateway call failed');
    const clientError = toClientError(cause) ?? converted.httpError;
    const attempts = routingError?.attempts ?? [];
    const tried = attempts.at(-1);
    this.finish(
      {
        status: 'error',
        statusCode: clientError.status,
        usage: NO_USAGE,
        error: clientError.message,
        provider: tried?.provider ?? NO_PROVIDER,
        model: tried?.model ?? this.plan.requested,
      },
      attempts,
    );
    clientError.headers['x-switchyard-attempts'] = String(attempts.length);
    return clientError;
  }
}
