/**
 * The REST routes with their schemas: each entry of the route table (./route-table.ts: method,
 * path, auth, idempotent) bound to its request and response schemas and its OpenAPI words. The
 * server registers every route from here (validation, handler types and the OpenAPI document
 * follow), and every client calls them through `sendRoute` (./rest-client.ts) with its types
 * taken from here — no path or shape is written a second time.
 */
import type { z } from 'zod';
import {
  ChangePasswordRequestSchema,
  CreateSessionDataSchema,
  CreateSessionRequestSchema,
  DeclineRequestSchema,
  DeviceParamsSchema,
  DevicesDataSchema,
  EndSessionDataSchema,
  HealthDataSchema,
  JoinSessionDataSchema,
  LoginDataSchema,
  LoginRequestSchema,
  LogoutDataSchema,
  MeDataSchema,
  MentorWeekDataSchema,
  NotifySessionStartDataSchema,
  NotifySessionStartRequestSchema,
  PastSessionsDataSchema,
  PastSessionsQuerySchema,
  RefreshRequestSchema,
  RingDataSchema,
  ScheduleQuerySchema,
  SessionParamsSchema,
  SetPasswordRequestSchema,
  SignedOutDeviceDataSchema,
  StudentSessionsDataSchema,
  StudentUpcomingDataSchema,
} from './api';
import { ROUTE_TABLE, type RouteEndpoint, type RouteName } from './route-table';

export interface RouteSchemas {
  /** The OpenAPI tag and one-line summary. */
  readonly tag: 'auth' | 'sessions' | 'schedule' | 'system';
  readonly summary: string;
  readonly params?: z.ZodObject;
  readonly query?: z.ZodObject;
  readonly body?: z.ZodType;
  /** The `data` of the success envelope. */
  readonly data: z.ZodType;
  /** Statuses of the error envelope this route answers with (documented in OpenAPI). */
  readonly errors: readonly number[];
}

export type RouteDescriptor = RouteEndpoint & RouteSchemas;

const route = <const N extends RouteName, const S extends RouteSchemas>(name: N, schemas: S) => ({ ...ROUTE_TABLE[name], ...schemas }) as (typeof ROUTE_TABLE)[N] & S;

export const ROUTES = {
  login: route('login', {
    tag: 'auth',
    summary: 'Sign in with user id and password: a device sign-in (access token + refresh token).',
    body: LoginRequestSchema,
    data: LoginDataSchema,
    errors: [400, 401, 403, 429, 503],
  }),
  refresh: route('refresh', {
    tag: 'auth',
    summary: 'Renew a device sign-in: a new access token and a new refresh token. A spent refresh token signs the device out.',
    body: RefreshRequestSchema,
    data: LoginDataSchema,
    errors: [400, 401, 429],
  }),
  setPassword: route('setPassword', {
    tag: 'auth',
    summary: 'First sign-in with a one-time enrolment code: choose a password; the code is spent.',
    body: SetPasswordRequestSchema,
    data: LoginDataSchema,
    errors: [400, 401, 429, 503],
  }),
  changePassword: route('changePassword', {
    tag: 'auth',
    summary: 'Change the password: every device is signed out; this one gets a fresh sign-in.',
    body: ChangePasswordRequestSchema,
    data: LoginDataSchema,
    errors: [400, 401, 429, 503],
  }),
  me: route('me', { tag: 'auth', summary: 'Who the access token belongs to.', data: MeDataSchema, errors: [401] }),
  devices: route('devices', { tag: 'auth', summary: "The caller's signed-in devices.", data: DevicesDataSchema, errors: [401] }),
  signOutDevice: route('signOutDevice', {
    tag: 'auth',
    summary: 'Sign one of your devices out (its refresh and access tokens stop working).',
    params: DeviceParamsSchema,
    data: SignedOutDeviceDataSchema,
    errors: [400, 401, 404],
  }),
  logout: route('logout', { tag: 'auth', summary: 'Sign this device out.', data: LogoutDataSchema, errors: [401] }),

  createSession: route('createSession', {
    tag: 'sessions',
    summary: 'Start a session for a booked slot (idempotent per live slot) and ring the student.',
    body: CreateSessionRequestSchema,
    data: CreateSessionDataSchema,
    errors: [400, 401, 403, 404],
  }),
  notifySessionStart: route('notifySessionStart', {
    tag: 'sessions',
    summary: "Re-send the session notification; the token must be the student's room token.",
    body: NotifySessionStartRequestSchema,
    data: NotifySessionStartDataSchema,
    errors: [400, 401, 403, 404, 409],
  }),
  mentorSchedule: route('mentorSchedule', {
    tag: 'schedule',
    summary: "The mentor's week: offered slots, bookings and live sessions.",
    query: ScheduleQuerySchema,
    data: MentorWeekDataSchema,
    errors: [400, 401, 403],
  }),
  pastSessions: route('pastSessions', {
    tag: 'sessions',
    summary: "The mentor's ended sessions, most recent first, a page at a time (date, student, type, duration, ring outcome).",
    query: PastSessionsQuerySchema,
    data: PastSessionsDataSchema,
    errors: [400, 401, 403],
  }),
  studentSessions: route('studentSessions', {
    tag: 'sessions',
    summary: "The student's live sessions, each as its notification payload.",
    data: StudentSessionsDataSchema,
    errors: [401, 403],
  }),
  joinSession: route('joinSession', {
    tag: 'sessions',
    summary: 'Join a live session as its mentor or student; re-mints the room token near expiry.',
    params: SessionParamsSchema,
    data: JoinSessionDataSchema,
    errors: [400, 401, 403, 404, 409],
  }),
  endSession: route('endSession', {
    tag: 'sessions',
    summary: 'End the session (mentor only; idempotent).',
    params: SessionParamsSchema,
    data: EndSessionDataSchema,
    errors: [400, 401, 403, 404],
  }),

  declineRing: route('declineRing', {
    tag: 'sessions',
    summary: "Decline the ring (the session's student only); an optional reason — a quick reply such as \"Running 5 minutes late\" — reaches the mentor live. The body may be omitted.",
    params: SessionParamsSchema,
    body: DeclineRequestSchema.nullish(),
    data: RingDataSchema,
    errors: [400, 401, 403, 404, 409],
  }),
  ringAgain: route('ringAgain', {
    tag: 'sessions',
    summary: 'Ring the student again after a decline or a missed ring (the mentor only; a ring still ringing is left as it is).',
    params: SessionParamsSchema,
    data: RingDataSchema,
    errors: [400, 401, 403, 404, 409],
  }),
  studentUpcoming: route('studentUpcoming', {
    tag: 'schedule',
    summary: "The student's bookings in the next 7 days, soonest first.",
    data: StudentUpcomingDataSchema,
    errors: [401, 403],
  }),

  health: route('health', { tag: 'system', summary: 'Liveness and what this server runs with.', data: HealthDataSchema, errors: [] }),
} as const satisfies { [N in RouteName]: RouteDescriptor };

type Routes = typeof ROUTES;
type InputOf<R, K extends 'params' | 'query' | 'body'> = R extends { readonly [key in K]: infer S extends z.ZodType } ? z.input<S> : undefined;

/** What a call of the route carries: its path parameters, query and body, as the schemas accept them. */
export type RouteInput<N extends RouteName> = (InputOf<Routes[N], 'params'> extends undefined ? { params?: undefined } : { params: InputOf<Routes[N], 'params'> }) &
  (InputOf<Routes[N], 'query'> extends undefined ? { query?: undefined } : { query?: InputOf<Routes[N], 'query'> }) &
  (InputOf<Routes[N], 'body'> extends undefined ? { body?: undefined } : { body: InputOf<Routes[N], 'body'> });

/** The success envelope's `data` of the route. */
export type RouteData<N extends RouteName> = z.output<Routes[N]['data']>;

export type { RouteName };
