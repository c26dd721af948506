import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.js';
import type { Config } from '../config.js';
import type { Database } from '../db/client.js';
import { errorHandlerFor } from '../db/http-errors.js';
import { type Domain, routesOf } from '../http/domain.js';
import type { Kv } from '../kv/kv.js';
import { runPeriodically, SWEEP_INTERVAL_MS } from '../periodic.js';
import { Authenticator } from './authenticator.js';
import { ApiKeyResolver } from './keys/key-resolver.js';
import { LastUsedTracker } from './keys/last-used-tracker.js';
import { registerAuthRoutes } from './routes/auth-routes.js';
import { registerInvitationRoutes } from './routes/invitation-routes.js';
import { registerKeyRoutes } from './routes/key-routes.js';
import { registerMemberRoutes } from './routes/member-routes.js';
import { registerOperatorRoutes } from './routes/operator-routes.js';
import { registerOrgRoutes } from './routes/org-routes.js';
import { LoginLimiter } from './sessions/login-limiter.js';
import { deleteExpiredSessions } from './sessions/sessions.js';

export { type Access, access, type RouteAccess } from './access.js';
export { apiKeyOf, principalOf, registerAccessControl, sessionOf } from './access-control.js';
export {
  type ApiKeyPrincipal,
  type Authenticator,
  bearerToken,
  type Principal,
  type SessionPrincipal,
} from './authenticator.js';
export { bootstrapFirstRun, type FirstRunCredentials } from './first-run.js';
export { findApiKey } from './keys/api-keys.js';
export { findOrgById, limitsOf } from './orgs.js';

/** What the auth domain needs from the app. */
export type AuthDeps = {
  db: Database;
  kv: Kv;
  clock: Clock;
  log: FastifyBaseLogger;
  config: Pick<Config, 'publicUrl' | 'signup' | 'defaultPlan' | 'sharedProviders'> & { secretKey: string };
  /** scrypt cost for new password hashes; tests lower it. */
  passwordCost: number | undefined;
};

/** Users, sessions, orgs, members, invitations and API keys: who is calling, and what they may do. */
export type AuthDomain = Domain & {
  /** Authorizes each request from its headers (see `registerAccessControl`). */
  authenticator: Authenticator;
  /** Writes keys' last-used times in the background; tests flush it. */
  lastUsed: LastUsedTracker;
};

export async function authDomain(deps: AuthDeps): Promise<AuthDomain> {
  const { db, kv, clock, log, config } = deps;
  const resolver = new ApiKeyResolver({ db, kv, clock });
  await resolver.start();
  const lastUsed = new LastUsedTracker({ db });
  const authenticator = new Authenticator({
    db,
    resolver,
    tracker: lastUsed,
    clock,
    secretKey: config.secretKey,
    sharedProviders: config.sharedProviders,
  });
  const loginLimiter = new LoginLimiter(kv);
  const stopSweep = runPeriodically({
    intervalMs: SWEEP_INTERVAL_MS,
    task: () => deleteExpiredSessions(db, clock.now()),
    log,
    failure: 'session sweep failed',
  });
  return {
    authenticator,
    lastUsed,
    plugin: routesOf(errorHandlerFor('api'), (app) => {
      registerAuthRoutes(app, { db, clock, config, authenticator, loginLimiter, passwordCost: deps.passwordCost });
      registerOrgRoutes(app, { db, resolver, config });
      registerKeyRoutes(app, { db, clock, resolver });
      registerMemberRoutes(app, { db, clock, resolver });
      registerInvitationRoutes(app, { db, clock, config });
      registerOperatorRoutes(app, { db, clock, resolver });
    }),
    stop: async () => {
      stopSweep();
      await resolver.stop();
      await lastUsed.stop().catch((error) => log.error({ err: error }, 'could not write last-used times'));
    },
  };
}
