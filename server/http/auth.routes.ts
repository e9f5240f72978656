import {
  ChangePasswordRequestSchema,
  DeviceParamsSchema,
  DevicesDataSchema,
  LoginDataSchema,
  LoginRequestSchema,
  LogoutDataSchema,
  MeDataSchema,
  RefreshRequestSchema,
  SetPasswordRequestSchema,
  SignedOutDeviceDataSchema,
} from '@contract/api';
import type { FastifyRequest } from 'fastify';
import type { AuthService, SignInContext } from '../services/auth.service';
import { ok } from './envelope';
import { authenticate, BEARER, identityOf, responses, type ZodApp } from './route-kit';

/** Refreshes one address may make per minute: a device needs one an hour; this only bounds a flood. */
const REFRESHES_PER_ADDRESS_PER_MINUTE = 120;

const signInContext = (request: FastifyRequest, deviceLabel?: string): SignInContext => ({
  deviceLabel,
  userAgent: request.headers['user-agent'],
  address: request.ip,
});

// Password routes are throttled per address and per account by the auth service (LoginThrottle).
export function registerAuthRoutes(app: ZodApp, auth: AuthService): void {

  app.post('/api/auth/login', {
    schema: {
      tags: ['auth'],
      summary: 'Sign in with user id and password: a device sign-in (access token + refresh token).',
      body: LoginRequestSchema,
      response: responses(LoginDataSchema, 400, 401, 403, 429, 503),
    },
    handler: async (request) => ok(await auth.login(request.body.userId, request.body.password, signInContext(request, request.body.deviceLabel))),
  });

  // JSON body only: no cookie and no Origin needed (the desktop main process calls it directly).
  app.post('/api/auth/refresh', {
    schema: {
      tags: ['auth'],
      summary: 'Renew a device sign-in: a new access token and a new refresh token. A spent refresh token signs the device out.',
      body: RefreshRequestSchema,
      response: responses(LoginDataSchema, 400, 401, 429),
    },
    config: { rateLimit: { max: REFRESHES_PER_ADDRESS_PER_MINUTE, timeWindow: 60_000 } },
    handler: async (request) => ok(await auth.refresh(request.body.refreshToken)),
  });

  app.post('/api/auth/set-password', {
    schema: {
      tags: ['auth'],
      summary: 'First sign-in with a one-time enrolment code: choose a password; the code is spent.',
      body: SetPasswordRequestSchema,
      response: responses(LoginDataSchema, 400, 401, 429, 503),
    },
    handler: async (request) =>
      ok(await auth.setPasswordWithEnrolmentCode(request.body.userId, request.body.enrolmentCode, request.body.newPassword, signInContext(request, request.body.deviceLabel))),
  });

  app.post('/api/auth/change-password', {
    schema: {
      tags: ['auth'],
      summary: 'Change the password: every device is signed out; this one gets a fresh sign-in.',
      security: BEARER,
      body: ChangePasswordRequestSchema,
      response: responses(LoginDataSchema, 400, 401, 429, 503),
    },
    preHandler: authenticate(auth),
    handler: async (request) => ok(await auth.changePassword(identityOf(request), request.body.currentPassword, request.body.newPassword, signInContext(request))),
  });

  app.get('/api/auth/me', {
    schema: { tags: ['auth'], summary: 'Who the access token belongs to.', security: BEARER, response: responses(MeDataSchema, 401) },
    preHandler: authenticate(auth),
    handler: async (request) => {
      const identity = identityOf(request);
      return ok({ user: identity.user, expiresAt: identity.expiresAt });
    },
  });

  app.get('/api/auth/devices', {
    schema: { tags: ['auth'], summary: "The caller's signed-in devices.", security: BEARER, response: responses(DevicesDataSchema, 401) },
    preHandler: authenticate(auth),
    handler: async (request) => ok({ devices: await auth.listDevices(identityOf(request)) }),
  });

  app.delete('/api/auth/devices/:id', {
    schema: {
      tags: ['auth'],
      summary: 'Sign one of your devices out (its refresh and access tokens stop working).',
      security: BEARER,
      params: DeviceParamsSchema,
      response: responses(SignedOutDeviceDataSchema, 400, 401, 404),
    },
    preHandler: authenticate(auth),
    handler: async (request) => {
      await auth.signOutOwnDevice(identityOf(request), request.params.id);
      return ok({ id: request.params.id, signedOut: true as const });
    },
  });

  app.post('/api/auth/logout', {
    schema: { tags: ['auth'], summary: 'Sign this device out.', security: BEARER, response: responses(LogoutDataSchema, 401) },
    preHandler: authenticate(auth),
    handler: async (request) => {
      await auth.logout(identityOf(request));
      return ok({ loggedOut: true as const });
    },
  });
}
