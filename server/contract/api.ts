/**
 * REST contract (docs/interface.md §2): request/response schemas shared by the server (validation,
 * OpenAPI) and the clients (types). The seed's shapes are kept exactly.
 */
import { z } from 'zod';
import { WEEKDAYS, parseSlotId } from './domain';

// ---------------------------------------------------------------------------
// Envelope
// ---------------------------------------------------------------------------

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'INVALID_JSON',
  'UNSUPPORTED_MEDIA_TYPE',
  'PAYLOAD_TOO_LARGE',
  'UNAUTHENTICATED',
  'INVALID_CREDENTIALS',
  'FORBIDDEN',
  'NOT_FOUND',
  'BOOKING_NOT_FOUND',
  'SESSION_NOT_FOUND',
  'SESSION_NOT_LIVE',
  'TOKEN_MISMATCH',
  'CONFLICT',
  'RATE_LIMITED',
  'PASSWORD_SETUP_REQUIRED',
  'WEAK_PASSWORD',
  'SERVER_BUSY',
  'HOST_NOT_ALLOWED',
  'INTERNAL_ERROR',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const ApiErrorSchema = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  details: z.unknown().optional(),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

export const ErrorEnvelopeSchema = z.object({ success: z.literal(false), error: ApiErrorSchema });
export type ErrorEnvelope = z.infer<typeof ErrorEnvelopeSchema>;

/** `{success: true, data}` around a data schema. */
export function successEnvelope<T extends z.ZodType>(data: T) {
  return z.object({ success: z.literal(true), data });
}
export type SuccessEnvelope<T> = { success: true; data: T };
export type Envelope<T> = SuccessEnvelope<T> | ErrorEnvelope;

// ---------------------------------------------------------------------------
// Shared fields
// ---------------------------------------------------------------------------

/** ZEGO limits user ids to 64 characters; we also keep them to a URL- and file-safe alphabet. */
export const UserIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, "_", "." and "-" only');
export const SlotIdSchema = z
  .string()
  .max(16)
  .refine((slotId) => parseSlotId(slotId) !== undefined, 'a weekly slot such as "mon-09-10" (day, start hour, later end hour)');
export const SessionIdSchema = z.string().min(1).max(64).regex(/^session_[A-Za-z0-9_-]+$/, 'a session id');
export const RoomIdSchema = z.string().min(1).max(64).regex(/^room_[A-Za-z0-9_-]+$/, 'a room id');
export const SessionTypeSchema = z.string().trim().min(1).max(100);
export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-4]):[0-5]\d$/, 'a time such as "09:00"');
export const RoleSchema = z.enum(['mentor', 'student']);
export const IsoDateTimeSchema = z.string().describe('ISO 8601 instant (UTC)');

export const PublicUserSchema = z.object({ id: UserIdSchema, role: RoleSchema, name: z.string() });

/** Which session, and the room it meets in: how each answer that names a session's room starts. */
const SessionRoomSchema = z.object({ sessionId: z.string(), roomId: z.string() });

// ---------------------------------------------------------------------------
// Auth
// ---------------------------------------------------------------------------

/** A short name for the device a sign-in belongs to ("Classroom for Windows"); otherwise taken from the User-Agent. */
export const DeviceLabelSchema = z.string().trim().min(1).max(100);

export const LoginRequestSchema = z.object({
  userId: UserIdSchema,
  password: z.string().min(1).max(256),
  deviceLabel: DeviceLabelSchema.optional(),
});
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

/**
 * A device sign-in: a short-lived bearer access token (at most 60 minutes) and a long-lived refresh
 * token that renews it. Every refresh returns a new refresh token and retires the old one; a retired
 * one presented again signs that device out (it was copied).
 */
export const LoginDataSchema = z.object({
  accessToken: z.string(),
  expiresAt: IsoDateTimeSchema,
  user: PublicUserSchema,
  refreshToken: z.string(),
  refreshExpiresAt: IsoDateTimeSchema.describe('the refresh token stops working then unless used before (each use extends it)'),
});
export type LoginData = z.infer<typeof LoginDataSchema>;

/** Refresh tokens are `rt_<deviceId>.<secret>`; bounded so a hostile body costs nothing. */
export const RefreshRequestSchema = z.object({ refreshToken: z.string().min(1).max(512) });
export type RefreshRequest = z.infer<typeof RefreshRequestSchema>;

export const DeviceIdSchema = z.string().min(1).max(64).regex(/^dev_[A-Za-z0-9_-]+$/, 'a device id');

export const DeviceSchema = z.object({
  id: DeviceIdSchema,
  label: z.string().describe('"Chrome · Linux", or the name the app gave; empty when neither is known'),
  createdAt: IsoDateTimeSchema,
  lastSeenAt: IsoDateTimeSchema,
  /** The device this request comes from. */
  current: z.boolean(),
});
export type Device = z.infer<typeof DeviceSchema>;

export const DevicesDataSchema = z.object({ devices: z.array(DeviceSchema) });
export type DevicesData = z.infer<typeof DevicesDataSchema>;

export const DeviceParamsSchema = z.object({ id: DeviceIdSchema });
export const SignedOutDeviceDataSchema = z.object({ id: DeviceIdSchema, signedOut: z.literal(true) });

/** What a new password must be: long enough to resist guessing, short enough to hash cheaply. */
export const NewPasswordSchema = z.string().min(8, 'at least 8 characters').max(256);

/** First sign-in with an enrolment code: the code is spent and the chosen password replaces it. */
export const SetPasswordRequestSchema = z.object({
  userId: UserIdSchema,
  enrolmentCode: z.string().min(1).max(256),
  newPassword: NewPasswordSchema,
  deviceLabel: DeviceLabelSchema.optional(),
});
export type SetPasswordRequest = z.infer<typeof SetPasswordRequestSchema>;

/** A signed-in user changes their password: every device is signed out, this one gets a fresh sign-in. */
export const ChangePasswordRequestSchema = z.object({
  currentPassword: z.string().min(1).max(256),
  newPassword: NewPasswordSchema,
});
export type ChangePasswordRequest = z.infer<typeof ChangePasswordRequestSchema>;

export const MeDataSchema = z.object({ user: PublicUserSchema, expiresAt: IsoDateTimeSchema });
export type MeData = z.infer<typeof MeDataSchema>;

export const LogoutDataSchema = z.object({ loggedOut: z.literal(true) });

// ---------------------------------------------------------------------------
// Seed endpoints
// ---------------------------------------------------------------------------

/** The seed's create-session request: the booked slot (its mentor, student and slot id) and the session type. */
export const CreateSessionRequestSchema = z.object({ mentorId: UserIdSchema, studentId: UserIdSchema, slotId: SlotIdSchema, sessionType: SessionTypeSchema });
export type CreateSessionRequest = z.infer<typeof CreateSessionRequestSchema>;

/** The seed's create-session response (docs/interface.md §2); `token` is the mentor's room token, `appId` is 0 for the built-in engine. */
export const CreateSessionDataSchema = SessionRoomSchema.extend({
  token: z.string(),
  appId: z.number().int(),
  expiresAt: IsoDateTimeSchema,
});
export type CreateSessionData = z.infer<typeof CreateSessionDataSchema>;

export const NotifySessionStartRequestSchema = z.object({
  studentId: UserIdSchema,
  roomId: RoomIdSchema,
  token: z.string().min(1).max(4096),
  mentorName: z.string().min(1).max(200),
  sessionType: SessionTypeSchema,
  startTime: ClockTimeSchema,
  endTime: ClockTimeSchema,
});
export type NotifySessionStartRequest = z.infer<typeof NotifySessionStartRequestSchema>;

export const NotifySessionStartDataSchema = SessionRoomSchema.extend({
  studentId: z.string(),
  notifiedAt: IsoDateTimeSchema,
  deliveredAt: IsoDateTimeSchema.nullable(),
});
export type NotifySessionStartData = z.infer<typeof NotifySessionStartDataSchema>;

// ---------------------------------------------------------------------------
// Sessions
// ---------------------------------------------------------------------------

export const SessionParamsSchema = z.object({ sessionId: SessionIdSchema });

export const MediaEngineSchema = z.enum(['zego', 'p2p']);

export const JoinSessionDataSchema = SessionRoomSchema.extend({
  token: z.string(),
  appId: z.number().int(),
  role: RoleSchema,
  sessionType: z.string(),
  engine: MediaEngineSchema,
  expiresAt: IsoDateTimeSchema.describe('when the session ends'),
  tokenExpiresAt: IsoDateTimeSchema.describe('when this room token stops working'),
  userId: z.string(),
  userName: z.string(),
  /** The other participant. */
  peer: PublicUserSchema,
  /** STUN/TURN for the built-in engine (empty on a LAN). */
  iceServers: z.array(z.object({ urls: z.union([z.string(), z.array(z.string())]), username: z.string().optional(), credential: z.string().optional() })),
  /** ZEGOCLOUD web SDK server address (zego engine only). */
  zegoServer: z.string().nullable(),
});
export type JoinSessionData = z.infer<typeof JoinSessionDataSchema>;

export const EndSessionDataSchema = z.object({
  sessionId: z.string(),
  status: z.literal('ended'),
  endedAt: IsoDateTimeSchema,
});
export type EndSessionData = z.infer<typeof EndSessionDataSchema>;

// ---------------------------------------------------------------------------
// The ring: how far a live session's call to the student got
// ---------------------------------------------------------------------------

/**
 * `offline`: no app of the student has the ring yet (it rings at sign-in); `ringing` until
 * `ringsUntil`; then `missed` unless the student joined or declined first.
 */
export const RING_STATES = ['offline', 'ringing', 'declined', 'missed', 'joined'] as const;
export const RingStateSchema = z.enum(RING_STATES);
export type RingState = z.infer<typeof RingStateSchema>;

export const RingStatusSchema = z.object({
  state: RingStateSchema,
  /** 1 for the first ring; each "Ring again" adds one. */
  attempt: z.number().int().min(1),
  startedAt: IsoDateTimeSchema.describe('when this ring started'),
  ringsUntil: IsoDateTimeSchema.nullable().describe('while ringing: when the ring becomes missed'),
  declineReason: z.string().nullable().describe("the student's quick reply when declined"),
  answeredAt: IsoDateTimeSchema.nullable(),
});
export type RingStatus = z.infer<typeof RingStatusSchema>;

export const DeclineReasonSchema = z.string().trim().max(200);
/** Decline a ring; the optional reason (a quick reply such as "Running 5 minutes late") reaches the mentor. */
export const DeclineRequestSchema = z.object({ reason: DeclineReasonSchema.optional() });
export type DeclineRequest = z.infer<typeof DeclineRequestSchema>;

export const RingDataSchema = z.object({ sessionId: z.string(), ring: RingStatusSchema });
export type RingData = z.infer<typeof RingDataSchema>;

export const DeliveryStateSchema = z.enum(['notified', 'delivered', 'joined']);

export const LiveSessionSummarySchema = SessionRoomSchema.extend({
  status: z.enum(['created', 'active']),
  sessionType: z.string(),
  expiresAt: IsoDateTimeSchema,
  deliveryState: DeliveryStateSchema,
  ring: RingStatusSchema,
});
export type LiveSessionSummary = z.infer<typeof LiveSessionSummarySchema>;

export const ScheduleQuerySchema = z.object({
  week: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date such as "2026-11-23"')
    .optional()
    .describe('any date in the wanted week (the mentor’s time zone); default: this week'),
});

export const ScheduleSlotSchema = z.object({
  slotId: z.string(),
  day: z.enum(WEEKDAYS),
  startTime: z.string(),
  endTime: z.string(),
  startsAt: IsoDateTimeSchema,
  endsAt: IsoDateTimeSchema,
  booking: z
    .object({
      studentId: z.string(),
      studentName: z.string(),
      sessionType: z.string(),
      online: z.boolean().describe("whether the student's app (desktop or web) is connected right now"),
    })
    .nullable(),
  liveSession: LiveSessionSummarySchema.nullable(),
});
export type ScheduleSlot = z.infer<typeof ScheduleSlotSchema>;

export const MentorWeekDataSchema = z.object({
  mentorId: z.string(),
  timeZone: z.string(),
  weekStart: z.string().describe('Monday of the week, YYYY-MM-DD in the mentor’s time zone'),
  /** Monday of the current week: only its slots can be started, only it shows live sessions. */
  thisWeekStart: z.string(),
  slots: z.array(ScheduleSlotSchema),
});
export type MentorWeekData = z.infer<typeof MentorWeekDataSchema>;

/** The `session_notification` payload (docs/interface.md §3); also what the student's inbox lists. */
export const SessionNotificationSchema = SessionRoomSchema.extend({
  token: z.string(),
  mentorName: z.string(),
  sessionType: z.string(),
  startTime: z.string(),
  endTime: z.string(),
  message: z.string(),
  expiresAt: IsoDateTimeSchema,
  /** The booked slot's start and end as instants (clients show them in the viewer's time zone). */
  startsAt: IsoDateTimeSchema,
  endsAt: IsoDateTimeSchema,
  ring: RingStatusSchema,
});
export type SessionNotification = z.infer<typeof SessionNotificationSchema>;

export const StudentSessionsDataSchema = z.object({ sessions: z.array(SessionNotificationSchema) });
export type StudentSessionsData = z.infer<typeof StudentSessionsDataSchema>;

/** A booking of the student in the next 7 days. */
export const UpcomingBookingSchema = z.object({
  slotId: z.string(),
  mentorName: z.string(),
  sessionType: z.string(),
  startsAt: IsoDateTimeSchema,
  endsAt: IsoDateTimeSchema,
});
export type UpcomingBooking = z.infer<typeof UpcomingBookingSchema>;
export const StudentUpcomingDataSchema = z.object({ bookings: z.array(UpcomingBookingSchema) });
export type StudentUpcomingData = z.infer<typeof StudentUpcomingDataSchema>;
// ---------------------------------------------------------------------------
// Past sessions (the mentor's history, from the stores' archive)
// ---------------------------------------------------------------------------

/** How far the ring got: the student joined, declined the last ring, let an acknowledged ring go unanswered, or no app ever acknowledged it. */
export const RingOutcomeSchema = z.enum(['joined', 'declined', 'missed', 'not_delivered']);
export type RingOutcome = z.infer<typeof RingOutcomeSchema>;

export const PAST_SESSIONS_PAGE_DEFAULT = 20;
export const PAST_SESSIONS_PAGE_MAX = 100;

export const PastSessionsQuerySchema = z.object({
  limit: z.coerce.number().int().min(1).max(PAST_SESSIONS_PAGE_MAX).optional().describe(`sessions per page (default ${PAST_SESSIONS_PAGE_DEFAULT})`),
  cursor: z
    .string()
    .regex(/^\d{1,15}$/, 'the cursor of the previous page')
    .optional()
    .describe('from the previous page; omit for the most recent'),
});
export type PastSessionsQuery = z.infer<typeof PastSessionsQuerySchema>;

export const PastSessionSchema = z.object({
  sessionId: z.string(),
  studentId: UserIdSchema,
  studentName: z.string(),
  sessionType: z.string(),
  slotId: z.string(),
  startedAt: IsoDateTimeSchema.describe('when the mentor started the session'),
  endedAt: IsoDateTimeSchema,
  durationSeconds: z.number().int().min(0),
  endReason: z.enum(['ended_by_mentor', 'expired']),
  ringOutcome: RingOutcomeSchema,
  declineReason: z.string().nullable().describe('what the student gave as the reason, when the outcome is declined'),
});
export type PastSession = z.infer<typeof PastSessionSchema>;

export const PastSessionsDataSchema = z.object({
  sessions: z.array(PastSessionSchema).describe('most recently ended first'),
  nextCursor: z.string().nullable().describe('pass as `cursor` for older sessions; null on the last page'),
});
export type PastSessionsData = z.infer<typeof PastSessionsDataSchema>;

export const HealthDataSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  engine: MediaEngineSchema,
  store: z.enum(['json', 'redis']),
  uptimeSeconds: z.number(),
});
export type HealthData = z.infer<typeof HealthDataSchema>;

/** The words of the ring, as the seed wrote them. */
export const SESSION_STARTED_MESSAGE = 'Your mentor has started the session!';
