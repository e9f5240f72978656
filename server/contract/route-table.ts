/**
 * Every REST route's method and path, once, with whether it needs a bearer token and whether a
 * client may safely repeat it. Plain data (no schema at run time), so a client bundle carries this
 * table and not zod: ./routes.ts binds each entry to its schemas for the server, and clients take
 * their types from there (`import type`). `/metrics` and `/api/openapi.json` are not envelope
 * routes and are not listed.
 */

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

export interface RouteEndpoint {
  readonly method: HttpMethod;
  /** Fastify syntax: `:name` marks a path parameter. */
  readonly path: `/${string}`;
  /** Needs `Authorization: Bearer <accessToken>`. */
  readonly auth: boolean;
  /** Safe to repeat: clients retry it on network errors and 5xx. */
  readonly idempotent: boolean;
}

export const ROUTE_TABLE = {
  login: { method: 'POST', path: '/api/auth/login', auth: false, idempotent: false },
  // Never repeated: a refresh token works once (a repeat would read as a stolen copy).
  refresh: { method: 'POST', path: '/api/auth/refresh', auth: false, idempotent: false },
  setPassword: { method: 'POST', path: '/api/auth/set-password', auth: false, idempotent: false },
  changePassword: { method: 'POST', path: '/api/auth/change-password', auth: true, idempotent: false },
  me: { method: 'GET', path: '/api/auth/me', auth: true, idempotent: true },
  devices: { method: 'GET', path: '/api/auth/devices', auth: true, idempotent: true },
  signOutDevice: { method: 'DELETE', path: '/api/auth/devices/:id', auth: true, idempotent: false },
  logout: { method: 'POST', path: '/api/auth/logout', auth: true, idempotent: false },
  // One session per live slot on the server: a lost reply is safely asked again.
  createSession: { method: 'POST', path: '/api/mentor/create-session', auth: true, idempotent: true },
  notifySessionStart: { method: 'POST', path: '/api/mentor/notify-session-start', auth: true, idempotent: false },
  mentorSchedule: { method: 'GET', path: '/api/mentor/schedule', auth: true, idempotent: true },
  pastSessions: { method: 'GET', path: '/api/mentor/past-sessions', auth: true, idempotent: true },
  studentSessions: { method: 'GET', path: '/api/student/sessions', auth: true, idempotent: true },
  joinSession: { method: 'POST', path: '/api/sessions/:sessionId/join', auth: true, idempotent: true },
  endSession: { method: 'POST', path: '/api/sessions/:sessionId/end', auth: true, idempotent: true },
  // The same decline again changes nothing (a new reason replaces the old; after a join it is a 409); ringing again leaves a ring still ringing as it is.
  declineRing: { method: 'POST', path: '/api/sessions/:sessionId/decline', auth: true, idempotent: true },
  ringAgain: { method: 'POST', path: '/api/sessions/:sessionId/ring', auth: true, idempotent: true },
  studentUpcoming: { method: 'GET', path: '/api/student/upcoming', auth: true, idempotent: true },
  health: { method: 'GET', path: '/api/health', auth: false, idempotent: true },
} as const satisfies Record<string, RouteEndpoint>;

export type RouteName = keyof typeof ROUTE_TABLE;
