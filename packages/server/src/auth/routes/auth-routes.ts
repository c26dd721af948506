import {
  loginBodySchema,
  type MeResponse,
  meResponseSchema,
  signupBodySchema,
  switchOrgBodySchema,
} from '@switchyard/shared';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Clock } from '../../clock.js';
import type { Config } from '../../config.js';
import type { Database } from '../../db/client.js';
import { errorResponses } from '../../http/error-responses.js';
import { conflict, forbidden, HttpError, notFound, unauthorized } from '../../http/http-error.js';
import type { ZodApp } from '../../http/zod-app.js';
import { access } from '../access.js';
import { sessionOf } from '../access-control.js';
import type { Authenticator } from '../authenticator.js';
import { acceptInvitation, findUsableInvitation } from '../invitations.js';
import { addMember, findMembership } from '../members.js';
import { createOrg, listOrgsOfUser } from '../orgs.js';
import { clearSessionCookies, setSessionCookies } from '../sessions/cookies.js';
import type { LoginLimiter } from '../sessions/login-limiter.js';
import { hashPassword, verifyPassword } from '../sessions/passwords.js';
import { createSession, deleteSession, SESSION_COOKIE, setActiveOrg } from '../sessions/sessions.js';
import { createUser, findUserByEmail, findUserById } from '../users.js';

const tags = ['auth'];
const errors = errorResponses({ shape: 'api', statuses: [400, 401, 403, 409, 429, 503] });

export type AuthRoutesDeps = {
  db: Database;
  clock: Clock;
  config: Pick<Config, 'publicUrl' | 'signup' | 'defaultPlan'>;
  authenticator: Authenticator;
  loginLimiter: LoginLimiter;
  /** scrypt cost for new password hashes; tests lower it. */
  passwordCost: number | undefined;
};

export function registerAuthRoutes(app: ZodApp, deps: AuthRoutesDeps): void {
  const { db, clock, authenticator, loginLimiter, config, passwordCost } = deps;
  // Verified against when the email is unknown, so a miss costs as long as a wrong password.
  const decoyHash = hashPassword('decoy password for timing', passwordCost);

  async function me(userId: string, orgId: string, sessionToken: string): Promise<MeResponse> {
    const orgs = await listOrgsOfUser(db, userId);
    const user = await findUserById(db, userId);
    if (!user) throw unauthorized('Not signed in', 'not_authenticated');
    const summaries = orgs.map((org) => ({
      id: org.id,
      name: org.name,
      slug: org.slug,
      plan: org.plan,
      role: org.role,
    }));
    const active = summaries.find((org) => org.id === orgId) ?? summaries[0];
    if (!active) throw forbidden('You are not a member of any organization', 'no_organization');
    return {
      user: { id: user.id, email: user.email, name: user.name, isOperator: user.isOperator },
      org: active,
      orgs: summaries,
      csrfToken: authenticator.csrfToken(sessionToken),
    };
  }

  async function startSession(request: FastifyRequest, reply: FastifyReply, userId: string, orgId: string) {
    const session = await createSession(db, { userId, activeOrgId: orgId, now: clock.now() });
    const csrfToken = authenticator.csrfToken(session.token);
    setSessionCookies(request, reply, { ...session, csrfToken, publicUrl: config.publicUrl });
    return me(userId, orgId, session.token);
  }

  app.post(
    '/api/auth/signup',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'Create an account (and an org, unless joining by invitation) and sign in',
        body: signupBodySchema,
        response: { 201: meResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const body = request.body;
      await loginLimiter.admit({ ip: request.ip, action: 'signup' });
      const invitation = body.inviteToken
        ? await findUsableInvitation(db, body.inviteToken, new Date(clock.now()))
        : undefined;
      if (body.inviteToken && !invitation) {
        throw new HttpError(400, {
          code: 'invalid_invitation',
          message: 'inviteToken: is unknown, used or expired',
          param: 'inviteToken',
        });
      }
      if (invitation && invitation.email !== body.email) {
        throw new HttpError(400, {
          code: 'invalid_invitation',
          message: 'email: does not match the address the invitation was sent to',
          param: 'email',
        });
      }
      if (!invitation && config.signup === 'invite') {
        throw forbidden(
          "Sign-up is by invitation only on this server: ask an admin of an org here to invite you (Members, then Invite), or the server's operator to set SIGNUP=open",
          'signup_closed',
        );
      }
      const user = await createUser(db, { ...body, passwordCost });
      if (!user) throw conflict('email: an account with this email already exists; sign in instead', 'email_taken');
      let orgId: string;
      if (invitation) {
        await acceptInvitation(db, invitation.id, new Date(clock.now()));
        await addMember(db, { orgId: invitation.orgId, userId: user.id, role: invitation.role });
        orgId = invitation.orgId;
      } else {
        const org = await createOrg(db, {
          name: body.orgName ?? `${body.name ?? body.email.split('@')[0]}'s org`,
          plan: config.defaultPlan,
        });
        await addMember(db, { orgId: org.id, userId: user.id, role: 'owner' });
        orgId = org.id;
      }
      reply.code(201);
      return startSession(request, reply, user.id, orgId);
    },
  );

  app.post(
    '/api/auth/login',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'Sign in with email and password; sets the session cookie',
        body: loginBodySchema,
        response: { 200: meResponseSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      await loginLimiter.admit({ ip: request.ip, email, action: 'login' });
      const user = await findUserByEmail(db, email);
      const valid = await verifyPassword(password, user?.passwordHash ?? (await decoyHash));
      if (!user || !valid) {
        await loginLimiter.recordFailure(email);
        throw unauthorized('Wrong email or password', 'invalid_credentials');
      }
      const [firstOrg] = await listOrgsOfUser(db, user.id);
      if (!firstOrg) throw forbidden('You are not a member of any organization', 'no_organization');
      return startSession(request, reply, user.id, firstOrg.id);
    },
  );

  app.post(
    '/api/auth/logout',
    {
      config: { access: access.public },
      schema: {
        tags,
        summary: 'End the session',
        response: { 204: z.null(), ...errorResponses({ shape: 'api', statuses: [401, 403] }) },
      },
    },
    async (request, reply) => {
      const token = request.cookies[SESSION_COOKIE];
      if (token) {
        await authenticator.session(request);
        await deleteSession(db, token);
      }
      clearSessionCookies(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/api/me',
    {
      config: { access: access.session },
      schema: {
        tags,
        summary: 'The signed-in user, their orgs and the CSRF token',
        response: { 200: meResponseSchema, ...errorResponses({ shape: 'api', statuses: [401] }) },
      },
    },
    async (request) => {
      const principal = sessionOf(request);
      return me(principal.userId, principal.orgId, principal.sessionToken);
    },
  );

  app.post(
    '/api/auth/switch-org',
    {
      config: { access: access.session },
      schema: {
        tags,
        summary: 'Show another org of yours in this session',
        body: switchOrgBodySchema,
        response: {
          200: meResponseSchema,
          ...errorResponses({ shape: 'api', statuses: [400, 401, 403, 404, 409, 429, 503] }),
        },
      },
    },
    async (request) => {
      const principal = sessionOf(request);
      const membership = await findMembership(db, request.body.orgId, principal.userId);
      if (!membership) throw notFound('Organization');
      await setActiveOrg(db, principal.sessionTokenHash, membership.orgId);
      return me(principal.userId, membership.orgId, principal.sessionToken);
    },
  );
}
