import { ROUTES } from '@contract/routes';
import type { FastifyRequest } from 'fastify';
import type { AuthService, SignInContext } from '../services/auth.service';
import { ok } from './envelope';
import { authenticate, identityOf, routeOf, type ZodApp } from './route-kit';

export interface AuthRouteOptions {
  /** Login attempts allowed per client address and user id per minute. */
  loginAttemptsPerMinute: number;
}

const signInContext = (request: FastifyRequest, deviceLabel?: string): SignInContext => ({
  deviceLabel,
  userAgent: request.headers['user-agent'],
  address: request.ip,
});

export function registerAuthRoutes(app: ZodApp, auth: AuthService, options: AuthRouteOptions): void {
  const rateLimit = {
    max: options.loginAttemptsPerMinute,
    timeWindow: 60_000,
    hook: 'preHandler' as const,
    // Per address and account: one account cannot be brute-forced, and one school's NAT
    // address does not lock out every student at once.
    keyGenerator: (request: FastifyRequest) => `${request.ip}|${(request.body as { userId?: string } | undefined)?.userId ?? ''}`,
  };

  app.route({
    ...routeOf(ROUTES.login),
    config: { rateLimit },
    handler: async (request) => ok(await auth.login(request.body.userId, request.body.password, signInContext(request, request.body.deviceLabel))),
  });

  // JSON body only: no cookie and no Origin needed (the desktop main process calls it directly).
  app.route({
    ...routeOf(ROUTES.refresh),
    handler: async (request) => ok(await auth.refresh(request.body.refreshToken)),
  });

  app.route({
    ...routeOf(ROUTES.setPassword),
    config: { rateLimit },
    handler: async (request) =>
      ok(await auth.setPasswordWithEnrolmentCode(request.body.userId, request.body.enrolmentCode, request.body.newPassword, signInContext(request, request.body.deviceLabel))),
  });

  app.route({
    ...routeOf(ROUTES.changePassword),
    preHandler: authenticate(auth),
    handler: async (request) => ok(await auth.changePassword(identityOf(request), request.body.currentPassword, request.body.newPassword, signInContext(request))),
  });

  app.route({
    ...routeOf(ROUTES.me),
    preHandler: authenticate(auth),
    handler: async (request) => {
      const identity = identityOf(request);
      return ok({ user: identity.user, expiresAt: identity.expiresAt });
    },
  });

  app.route({
    ...routeOf(ROUTES.devices),
    preHandler: authenticate(auth),
    handler: async (request) => ok({ devices: await auth.listDevices(identityOf(request)) }),
  });

  app.route({
    ...routeOf(ROUTES.signOutDevice),
    preHandler: authenticate(auth),
    handler: async (request) => {
      await auth.signOutOwnDevice(identityOf(request), request.params.id);
      return ok({ id: request.params.id, signedOut: true as const });
    },
  });

  app.route({
    ...routeOf(ROUTES.logout),
    preHandler: authenticate(auth),
    handler: async (request) => {
      await auth.logout(identityOf(request));
      return ok({ loggedOut: true as const });
    },
  });
}
