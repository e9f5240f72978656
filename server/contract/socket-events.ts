/**
 * Socket.IO contract (docs/interface.md §3), default namespace. Event names are keys of these maps,
 * never loose strings: `new Server<ClientToServerEvents, ServerToClientEvents, {}, SocketData>()`
 * on the server, `Socket<ServerToClientEvents, ClientToServerEvents>` on clients.
 */
import { z } from 'zod';
import { RoomIdSchema, SessionIdSchema, type RingStatus, type SessionNotification } from './api';
import type { DeliveryState, Role, UserId } from './domain';

export interface SessionEndedPayload {
  sessionId: string;
}

/** The ack a client returns for `session_notification`; any reply counts as received. */
export interface NotificationReceipt {
  received: true;
}

// --- Built-in peer-to-peer engine: signalling relayed between the two participants --------------

export const RtcJoinRequestSchema = z.object({
  roomId: RoomIdSchema,
  token: z.string().min(1).max(4096),
});
export type RtcJoinRequest = z.infer<typeof RtcJoinRequestSchema>;

export type RtcJoinResult =
  | { ok: true; roomId: string; peers: RtcPeer[] }
  | { ok: false; code: 'INVALID_PAYLOAD' | 'TOKEN_INVALID' | 'TOKEN_EXPIRED' | 'SESSION_NOT_LIVE' | 'FORBIDDEN' | 'RATE_LIMITED'; message: string };

export interface RtcPeer {
  userId: UserId;
  role: Role;
  name: string;
}

/** SDP offers/answers and ICE candidates, relayed opaquely (bounded in size). */
export const RtcSignalDataSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('description'), description: z.object({ type: z.enum(['offer', 'answer', 'pranswer', 'rollback']), sdp: z.string().max(32_000).optional() }) }),
  z.object({
    kind: z.literal('candidate'),
    candidate: z
      .object({
        candidate: z.string().max(2_000),
        sdpMid: z.string().max(64).nullable().optional(),
        sdpMLineIndex: z.number().int().min(0).max(64).nullable().optional(),
        usernameFragment: z.string().max(256).nullable().optional(),
      })
      .nullable(),
  }),
  z.object({ kind: z.literal('media-state'), audioMuted: z.boolean(), cameraOff: z.boolean(), screenSharing: z.boolean() }),
]);
export type RtcSignalData = z.infer<typeof RtcSignalDataSchema>;

export const RtcSignalRequestSchema = z.object({ roomId: RoomIdSchema, data: RtcSignalDataSchema });
export type RtcSignalRequest = z.infer<typeof RtcSignalRequestSchema>;

export const RtcLeaveRequestSchema = z.object({ roomId: RoomIdSchema });
export type RtcLeaveRequest = z.infer<typeof RtcLeaveRequestSchema>;

export interface RtcSignalMessage {
  roomId: string;
  from: RtcPeer;
  data: RtcSignalData;
}

// --- The call: who is in the meeting (any media engine), one presence per person, chat ------------

export const CallRequestSchema = z.object({ sessionId: SessionIdSchema });
export type CallRequest = z.infer<typeof CallRequestSchema>;

export const CHAT_MESSAGE_MAX_LENGTH = 1000;
export const ChatSendRequestSchema = z.object({ sessionId: SessionIdSchema, text: z.string().trim().min(1).max(CHAT_MESSAGE_MAX_LENGTH) });
export type ChatSendRequest = z.infer<typeof ChatSendRequestSchema>;

export interface ChatMessage {
  id: string;
  sessionId: string;
  from: UserId;
  fromName: string;
  text: string;
  sentAt: string;
}

export type CallRefusal = { ok: false; code: 'INVALID_PAYLOAD' | 'SESSION_NOT_LIVE' | 'FORBIDDEN' | 'RATE_LIMITED' | 'CHAT_FULL'; message: string };
/** `call_join`: in the call now (any other window of the same person is taken over); the chat so far. */
export type CallJoinResult = { ok: true; participants: RtcPeer[]; messages: ChatMessage[] } | CallRefusal;
export type CallPeekResult = { ok: true; participants: RtcPeer[] } | CallRefusal;
export type ChatSendResult = { ok: true; message: ChatMessage } | CallRefusal;

export interface ServerToClientEvents {
  session_notification: (payload: SessionNotification, ack: (receipt: NotificationReceipt) => void) => void;
  session_ended: (payload: SessionEndedPayload) => void;
  /** To the mentor's apps: how far the ring of a live session got (an extension: docs/interface.md §7). */
  session_delivery_state: (payload: { sessionId: string; deliveryState: DeliveryState }) => void;
  rtc_peer_joined: (payload: { roomId: string; peer: RtcPeer }) => void;
  rtc_peer_left: (payload: { roomId: string; userId: UserId }) => void;
  rtc_signal: (payload: RtcSignalMessage) => void;
  /** To the student's and the mentor's apps: the ring changed (answered, missed, rung again). */
  ring_state: (payload: { sessionId: string; ring: RingStatus }) => void;
  /** To mentors with a booking of that student: the student's app came online or went offline. */
  presence: (payload: { userId: UserId; online: boolean }) => void;
  /** To both participants' apps: who is in the call now. */
  call_participants: (payload: { sessionId: string; participants: RtcPeer[] }) => void;
  /** To a window of a person who joined the same call from another window or device. */
  call_taken_over: (payload: { sessionId: string }) => void;
  /** To the windows in the call: a chat message (also the sender's own, for its other state). */
  chat_message: (payload: ChatMessage) => void;
}

export interface ClientToServerEvents {
  rtc_join: (request: RtcJoinRequest, ack: (result: RtcJoinResult) => void) => void;
  rtc_signal: (request: RtcSignalRequest) => void;
  rtc_leave: (request: RtcLeaveRequest) => void;
  call_join: (request: CallRequest, ack: (result: CallJoinResult) => void) => void;
  call_peek: (request: CallRequest, ack: (result: CallPeekResult) => void) => void;
  call_leave: (request: CallRequest) => void;
  chat_send: (request: ChatSendRequest, ack: (result: ChatSendResult) => void) => void;
}

/** What the handshake proved; set by the server, never by the client. */
export interface SocketData {
  userId: UserId;
  role: Role;
  name: string;
  accessTokenId: string;
  /** The device sign-in the socket was opened with (null for tokens from before device sign-ins). */
  deviceId: string | null;
  accessTokenExpiresAt: string;
}

/** The relay room of a media room; the server admits a socket only after checking its room token. */
export function rtcRoom(roomId: string): string {
  return `rtc_${roomId}`;
}

/** The sockets of the windows in a session's call (checked participants only). */
export function callRoom(sessionId: string): string {
  return `call_${sessionId}`;
}

/** Mentors' sockets join the presence room of each student they have a booking with. */
export function presenceRoom(studentId: UserId): string {
  return `presence_${studentId}`;
}

/** Socket.IO room names derived from identity only (docs/interface.md §3). */
export function identityRoom(role: Role, userId: UserId): string {
  return `${role}_${userId}`;
}
