export {
  ALERT_METRICS,
  ALERT_STATES,
  type AlertMetric,
  type AlertState,
  SPEND_PERIODS,
  type SpendPeriod,
} from './alert-metrics.js';
export { describeCondition, describeWebhook, formatAlertValue, METRIC_LABELS } from './alert-wording.js';
export type { AlertCondition, AlertEvent, AlertRule, AlertRuleBody, AlertRulePatch } from './alerts.js';
export {
  alertConditionSchema,
  alertEventSchema,
  alertRuleBodySchema,
  alertRulePatchSchema,
  alertRuleSchema,
} from './alerts.js';
export type { ApiKey, CreateApiKeyBody, CreatedApiKey } from './api-keys.js';
export { apiKeySchema, BUDGET_PERIODS, createApiKeyBodySchema, createdApiKeySchema } from './api-keys.js';
export type { LoginBody, MeResponse, OrgSummary, SignupBody } from './auth.js';
export {
  emailSchema,
  loginBodySchema,
  meResponseSchema,
  orgSummarySchema,
  passwordSchema,
  signupBodySchema,
  switchOrgBodySchema,
} from './auth.js';
export { isPlainChatRequest } from './chat-request-check.js';
export type { EndUserListQuery, EndUserSummary } from './end-user-queries.js';
export {
  END_USER_SORTS,
  type EndUserSort,
  endUserListQuerySchema,
  endUserSummarySchema,
} from './end-user-queries.js';
export type { ApiError, OpenAiError } from './errors.js';
export { apiErrorSchema, openAiErrorSchema } from './errors.js';
export { formatUsd, formatUsdCompact } from './format.js';
export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionRequest,
  ChatMessage,
  EmbeddingsRequest,
  Usage,
} from './gateway.js';
export {
  chatCompletionChunkSchema,
  chatCompletionRequestSchema,
  chatCompletionSchema,
  chatMessageSchema,
  embeddingsRequestSchema,
} from './gateway.js';
export type {
  IngestEvent,
  IngestEventType,
  IngestResponse,
  ObservationCreateBody,
  ObservationUpdateBody,
  ScoreCreateBody,
  TraceCreateBody,
} from './ingest.js';
export {
  INGEST_EVENT_TYPES,
  INGEST_LIMITS,
  ingestEventSchema,
  ingestRequestSchema,
  ingestResponseSchema,
  OBSERVATION_LEVELS,
  observationCreateBodySchema,
  observationUpdateBodySchema,
  scoreCreateBodySchema,
  traceCreateBodySchema,
  usageSchema,
} from './ingest.js';
export { MAX_PAYLOAD_DEPTH, nestsDeeperThan } from './json-depth.js';
export type { LiveUpdate } from './live.js';
export { liveUpdateSchema } from './live.js';
export type { CreatedInvitation, Invitation, Member } from './members.js';
export {
  createdInvitationSchema,
  createInvitationBodySchema,
  invitationSchema,
  memberSchema,
  updateMemberBodySchema,
} from './members.js';
export { type ModelRef, NO_PROVIDER, parseModelRef } from './model-ref.js';
export type { ModelList, OrgModelList } from './models.js';
export { modelListSchema, orgModelListSchema } from './models.js';
export type { OperatorOrg, OperatorOrgPatch } from './operator.js';
export { operatorOrgListQuerySchema, operatorOrgPatchSchema, operatorOrgSchema } from './operator.js';
export type { Org } from './orgs.js';
export { createOrgBodySchema, orgSchema, orgSuspensionSchema, updateOrgBodySchema } from './orgs.js';
export type { PageQuery } from './pagination.js';
export { listSchema, pageQuerySchema, pageSchema } from './pagination.js';
export { orgLimitsSchema, planSchema } from './plan-schemas.js';
export type { OrgLimits, Plan } from './plans.js';
export { effectiveOrgLimits, LIMIT_NAMES, limitsInForce, PLAN_DEFAULT_LIMITS, PLANS, tighterLimit } from './plans.js';
export type { ListedPrice, PriceOverride, PriceOverrideBody } from './price-overrides.js';
export {
  listedPriceSchema,
  overridesInMatchOrder,
  priceOverrideBodySchema,
  priceOverrideSchema,
  toModelPrice,
} from './price-overrides.js';
export type { ModelPrice } from './prices.js';
export {
  computeCostUsd,
  findBuiltInPrice,
  findPrice,
  imageInputTokensOf,
  MODEL_PRICES,
  maxOutputTokensOf,
} from './prices.js';
export type { ProviderCredential, ProviderCredentialBody } from './provider-credentials.js';
export { providerCredentialBodySchema, providerCredentialSchema } from './provider-credentials.js';
export { PROVIDER_KINDS, type ProviderKind } from './provider-kinds.js';
export type { Readiness, ReadinessCheck } from './readiness.js';
export { readinessCheckSchema, readinessSchema } from './readiness.js';
export { roleSchema, scopeSchema } from './role-schemas.js';
export type { Role, Scope } from './roles.js';
export { KEY_ROLE_CEILING, lesserRole, ROLE_SCOPES, ROLES, roleAtLeast, SCOPES } from './roles.js';
export { DEFAULT_FALLBACK_STATUSES, ROUTE_STRATEGIES, type RouteStrategy } from './route-strategies.js';
export type { Route, RouteBody, RouteCache, RouteRetry, RouteTarget } from './routes.js';
export {
  routeBodySchema,
  routeCacheSchema,
  routeRetrySchema,
  routeSchema,
  routeTargetSchema,
} from './routes.js';
export type { SessionDetail, SessionListQuery, SessionSummary, SessionTurn } from './session-queries.js';
export {
  sessionDetailQuerySchema,
  sessionDetailSchema,
  sessionListQuerySchema,
  sessionSummarySchema,
  sessionTurnSchema,
} from './session-queries.js';
export type { ObservationType } from './telemetry.js';
export {
  histogramQuantile,
  LATENCY_BUCKETS_MS,
  type LatencyBounds,
  latencyBucketIndex,
  OBSERVATION_TYPES,
} from './telemetry.js';
export type {
  MetricsQuery,
  MetricsResponse,
  MetricValues,
  Observation,
  TraceDetail,
  TraceListQuery,
  TraceSummary,
} from './trace-queries.js';
export {
  METRIC_GROUPS,
  metricsQuerySchema,
  metricsResponseSchema,
  metricValuesSchema,
  observationSchema,
  scoreSchema,
  TRACE_SORTS,
  type TraceSort,
  traceDetailSchema,
  traceListQuerySchema,
  traceSummarySchema,
} from './trace-queries.js';
export type { KeyUsage, OrgUsage, UsageResponse } from './usage.js';
export { keyUsageSchema, orgUsageSchema, usageResponseSchema } from './usage.js';
