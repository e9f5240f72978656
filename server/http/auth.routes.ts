import { ROUTES } from '@contract/routes';
import type { FastifyRequest } from 'fastify';
import type { AuthService, SignInContext } from '../services/auth.service';
import { ok } from './envelope';
import { authenticate, identityOf, routeOf, type ZodApp } from './route-kit';

/** Refreshes one address may make per minute: a device needs one an hour; this only bounds a flood. */
const REFRESHES_PER_ADDRESS_PER_MINUTE = 120;

const signInContext = (request: FastifyRequest, deviceLabel?: string): SignInContext => ({
  deviceLabel,
  userAgent: request.headers['user-agent'],
  address: request.ip,
});

// Password routes are throttled per address and per account by the auth service (LoginThrottle).
export function registerAuthRoutes(app: ZodApp, auth: AuthService): void {

  app.route({
    ...routeOf(ROUTES.login),
    handler: async (request) => ok(await auth.login(request.body.userId, request.body.password, signInContext(request, request.body.deviceLabel))),
  });

  // JSON body only: no cookie and no Origin needed (the desktop main process calls it directly).
  app.route({
    ...routeOf(ROUTES.refresh),
    config: { rateLimit: { max: REFRESHES_PER_ADDRESS_PER_MINUTE, timeWindow: 60_000 } },
    handler: async (request) => ok(await auth.refresh(request.body.refreshToken)),
  });

  app.route({
    ...routeOf(ROUTES.setPassword),
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
