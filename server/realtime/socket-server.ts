/**
 * Socket.IO on the application's HTTP server (docs/interface.md §3): the handshake proves an access token,
 * the server puts the socket into `student_<id>` / `mentor_<id>` from that identity (a client can
 * never pick a room), and session notifications go out with acknowledgements through the outbox.
 */
import type { Server as HttpServer } from 'node:http';
import { Server, type ServerOptions, type Socket } from 'socket.io';
import type { RingStatus, SessionNotification } from '@contract/api';
import type { DeliveryState } from '@contract/domain';
import type { SessionRecord } from '../store/records';
import {
  identityRoom,
  type ClientToServerEvents,
  type ServerToClientEvents,
  type SocketData,
} from '@contract/socket-events';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { AuthService } from '../services/auth.service';
import { AppError } from '../services/errors';
import type { NotificationService, NotificationTransport } from '../services/notifications.service';
import type { RingService, RingTransport } from '../services/ring.service';
import type { ClassroomStore } from '../store/classroom-store';
import type { CallRooms } from './call.handlers';
import { Presence } from './presence';
import type { RtcRelay } from './rtc-relay.handlers';

export type ClassroomIo = Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;
export type ClassroomSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeOptions {
  /** How long a `session_notification` waits for the app's ack before it counts as not delivered. */
  ackTimeoutMs: number;
  /** Cross-origin pages allowed to open a socket (the desktop renderer). */
  allowedOrigins: string[];
  /** The Host allow-list (the handshake is refused for other names, as HTTP requests are). */
  hostAllowed: (hostHeader: string | undefined) => boolean;
  /** Set when several server nodes share Redis. */
  adapter?: ServerOptions['adapter'];
}

const MAX_MESSAGE_BYTES = 64 * 1024;
const authRoom = (accessTokenId: string) => `auth_${accessTokenId}`;
/** Every socket of one device sign-in, so signing the device out drops them (across nodes too). */
const deviceRoom = (deviceId: string) => `device_${deviceId}`;

/** A per-socket send: 1 when the app acknowledged in time, 0 otherwise. */
function emitWithReceipt(
  target: { timeout(ms: number): { emit(ev: 'session_notification', payload: SessionNotification, cb: (err: Error | null, reply: unknown) => void): unknown } },
  payload: SessionNotification,
  timeoutMs: number,
): Promise<number> {
  return new Promise((resolve) => {
    target.timeout(timeoutMs).emit('session_notification', payload, (err, reply) => {
      // A broadcast (to a room on other nodes, or a remote socket) answers with an array of the
      // replies that came — none when no app is there, some even when the wait timed out.
      resolve((Array.isArray(reply) ? reply.length > 0 : !err) ? 1 : 0);
    });
  });
}

/**
 * No Origin (not a browser), one of CLASSROOM_ALLOWED_ORIGINS, or a page served under a host name
 * this server answers to (the Host allow-list: its own pages, also behind a proxy that rewrites Host).
 */
export function originAllowed(origin: string | undefined, allowedOrigins: readonly string[], hostAllowed: (host: string) => boolean): boolean {
  if (origin === undefined || allowedOrigins.includes(origin)) return true;
  try {
    return hostAllowed(new URL(origin).host);
  } catch {
    return false;
  }
}

export interface Realtime {
  io: ClassroomIo;
  transport: NotificationTransport & RingTransport;
  presence: Presence;
}

export function createRealtime(
  httpServer: HttpServer,
  deps: { auth: AuthService; notifications: NotificationService; rings: RingService; relay: RtcRelay; calls: CallRooms; store: ClassroomStore; logger: Logger; metrics: Metrics; clock: () => number },
  options: RealtimeOptions,
): Realtime {
  const { auth, notifications, rings, relay, calls, store, logger, metrics, clock } = deps;
  const io: ClassroomIo = new Server(httpServer, {
    serveClient: false,
    maxHttpBufferSize: MAX_MESSAGE_BYTES,
    pingInterval: 10_000,
    pingTimeout: 5_000,
    cors: { origin: options.allowedOrigins, methods: ['GET', 'POST'] },
    allowRequest: (request, callback) => {
      if (!options.hostAllowed(request.headers.host)) return callback('Host not allowed', false);
      // CORS does not guard a WebSocket: a page of another origin is refused here (the desktop
      // main process and other non-browser clients send no Origin).
      if (!originAllowed(request.headers.origin, options.allowedOrigins, options.hostAllowed)) return callback('Origin not allowed', false);
      callback(null, true);
    },
    ...(options.adapter ? { adapter: options.adapter } : {}),
  });

  const presence = new Presence(io, store, logger);

  // Handshake authentication: runs for every connection (no connection-state recovery skips it).
  io.use(async (socket, next) => {
    const token: unknown = socket.handshake.auth?.token;
    try {
      const identity = await auth.authenticate(typeof token === 'string' ? token : undefined);
      socket.data = {
        userId: identity.user.id,
        role: identity.user.role,
        name: identity.user.name,
        accessTokenId: identity.accessTokenId,
        deviceId: identity.deviceId,
        accessTokenExpiresAt: identity.expiresAt,
      };
      next();
    } catch (error) {
      const refusal = new Error(error instanceof AppError ? error.message : 'Authentication failed.') as Error & { data?: unknown };
      refusal.data = { code: error instanceof AppError ? error.code : 'UNAUTHENTICATED' };
      next(refusal);
    }
  });

  io.on('connection', (socket: ClassroomSocket) => {
    const { userId, role, accessTokenId, deviceId, accessTokenExpiresAt } = socket.data;
    void socket.join([identityRoom(role, userId), authRoom(accessTokenId), ...(deviceId ? [deviceRoom(deviceId)] : [])]);
    metrics.connectedSockets.inc({ role });

    // The sign-in the socket was opened with ends: so does the socket.
    const untilExpiry = Math.max(0, Date.parse(accessTokenExpiresAt) - clock());
    const expiryTimer = untilExpiry < 2 ** 31 - 1 ? setTimeout(() => socket.disconnect(true), untilExpiry) : undefined;
    expiryTimer?.unref();

    relay.attach(socket);
    calls.attach(io, socket);
    presence.connected(socket);

    socket.on('disconnect', () => {
      if (expiryTimer) clearTimeout(expiryTimer);
      metrics.connectedSockets.dec({ role });
    });

    if (role === 'student') {
      notifications
        .replayPending(userId, (payload) => emitWithReceipt(socket, payload, options.ackTimeoutMs))
        .catch((error: unknown) => logger.error({ err: error, userId }, 'notification replay failed'));
    }
  });

  auth.onRevoked(({ deviceIds, accessTokenIds }) => {
    const rooms = [...deviceIds.map(deviceRoom), ...accessTokenIds.map(authRoom)];
    if (rooms.length > 0) io.in(rooms).disconnectSockets(true);
  });

  /**
   * The student's sockets on every node (the retry timer asks whether the student is online).
   * With several nodes, a node that does not answer makes the cluster-wide lookup time out. If it
   * has just died, asking again counts only the nodes still there; if it hangs, this node's own
   * apps still count — rather than the student looking offline until that node is gone.
   */
  const studentSockets = async (studentId: string) => {
    const room = identityRoom('student', studentId);
    try {
      return await io.in(room).fetchSockets();
    } catch (first) {
      logger.warn({ err: first, studentId }, 'cluster-wide socket lookup failed; asking the nodes again');
      return io
        .in(room)
        .fetchSockets()
        .catch((second: unknown) => {
          logger.warn({ err: second, studentId }, 'cluster-wide socket lookup failed twice; counting this node\'s apps only');
          return io.local.in(room).fetchSockets();
        });
    }
  };

  const transport: NotificationTransport & RingTransport = {
    async sendToStudent(studentId, payload) {
      const room = identityRoom('student', studentId);
      // This node's apps answer one by one; the other nodes' get one broadcast through the adapter
      // (a single hop, where looking their sockets up first would cost a round trip more).
      const local = await io.local.in(room).fetchSockets();
      const sends = local.map((socket) => emitWithReceipt(socket, payload, options.ackTimeoutMs));
      if (options.adapter) {
        const others = io.to(room).except(local.map((socket) => socket.id));
        sends.push(emitWithReceipt(others, payload, options.ackTimeoutMs));
      }
      if (sends.length === 0) return 0;
      // Resolve with the first acknowledgement: one app of the student having it is delivery.
      return new Promise<number>((resolve) => {
        let pending = sends.length;
        for (const send of sends) {
          void send.then((acked) => {
            pending--;
            if (acked) resolve(1);
            else if (pending === 0) resolve(0);
          });
        }
      });
    },
    async isStudentOnline(studentId) {
      return (await studentSockets(studentId)).length > 0;
    },
    sessionEnded(session: SessionRecord) {
      io.to([identityRoom('student', session.student_id), identityRoom('mentor', session.mentor_id)]).emit('session_ended', {
        sessionId: session.id,
      });
      relay.closeRoom(io, session.room_id);
    },
    deliveryStateChanged(session: SessionRecord, state: DeliveryState) {
      io.to(identityRoom('mentor', session.mentor_id)).emit('session_delivery_state', { sessionId: session.id, deliveryState: state });
    },
    ringDelivered(session: SessionRecord) {
      rings.announce(session).catch((error: unknown) => logger.error({ err: error, sessionId: session.id }, 'ring announcement failed'));
    },
    ringStateChanged(session: SessionRecord, ring: RingStatus) {
      io.to([identityRoom('student', session.student_id), identityRoom('mentor', session.mentor_id)]).emit('ring_state', { sessionId: session.id, ring });
    },
  };

  return { io, transport, presence };
}
