import { LoginDataSchema, LoginRequestSchema, LogoutDataSchema, MeDataSchema } from '@contract/api';
import type { AuthService } from '../services/auth.service';
import { ok } from './envelope';
import { authenticate, BEARER, identityOf, responses, type ZodApp } from './route-kit';

export interface AuthRouteOptions {
  /** Login attempts allowed per client address and user id per minute. */
  loginAttemptsPerMinute: number;
}

export function registerAuthRoutes(app: ZodApp, auth: AuthService, options: AuthRouteOptions): void {
  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with user id and password; returns a bearer access token.',
      body: LoginRequestSchema,
      response: responses(LoginDataSchema, 400, 401, 429),
    },
    config: {
      rateLimit: {
        max: options.loginAttemptsPerMinute,
        timeWindow: 60_000,
        hook: 'preHandler',
        // Per address and account: one account cannot be brute-forced, and one school's NAT
        // address does not lock out every student at once.
        keyGenerator: (request) => `${request.ip}|${(request.body as { userId?: string } | undefined)?.userId ?? ''}`,
      },
    },
    handler: async (request) => ok(await auth.login(request.body.userId, request.body.password)),
  });

  app.get('/api/auth/me', {
    schema: { tags: ['auth'], summary: 'Who the access token belongs to.', security: BEARER, response: responses(MeDataSchema, 401) },
    preHandler: authenticate(auth),
    handler: async (request) => {
      const identity = identityOf(request);
      return ok({ user: identity.user, expiresAt: identity.expiresAt });
    },
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'Revoke the access token.', security: BEARER, response: responses(LogoutDataSchema, 401) },
    preHandler: authenticate(auth),
    handler: async (request) => {
      await auth.logout(identityOf(request));
      return ok({ loggedOut: true as const });
    },
  });
}
