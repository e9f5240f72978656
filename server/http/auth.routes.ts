import { ROUTES } from '@contract/routes';
import type { FastifyRequest } from 'fastify';
import type { AuthService, SignInContext } from '../services/auth.service';
import { ok } from './envelope';
import { routeOf, signedInRoute, type ZodApp } from './route-kit';

/** Refreshes one address may make per minute: a device needs one an hour; this only bounds a flood. */
const REFRESHES_PER_ADDRESS_PER_MINUTE = 120;

const signInContext = (request: Pick<FastifyRequest, 'headers' | 'ip'>, deviceLabel?: string): SignInContext => ({
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

  signedInRoute(app, auth, ROUTES.changePassword, (identity, request) => auth.changePassword(identity, request.body.currentPassword, request.body.newPassword, signInContext(request)));
  signedInRoute(app, auth, ROUTES.me, async (identity) => ({ user: identity.user, expiresAt: identity.expiresAt }));
  signedInRoute(app, auth, ROUTES.devices, async (identity) => ({ devices: await auth.listDevices(identity) }));
  signedInRoute(app, auth, ROUTES.signOutDevice, async (identity, { params }) => {
    await auth.signOutOwnDevice(identity, params.id);
    return { id: params.id, signedOut: true as const };
  });
  signedInRoute(app, auth, ROUTES.logout, async (identity) => {
    await auth.logout(identity);
    return { loggedOut: true as const };
  });
}
