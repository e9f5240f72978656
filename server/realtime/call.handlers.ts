/**
 * The call, whatever the media engine: which windows are in a session's meeting, one presence per
 * person (a second window or device joining takes over; the first is told and steps back, so the
 * media never has two ends for one person), and the chat, relayed only to the windows in the call.
 */
import {
  CallRequestSchema,
  ChatSendRequestSchema,
  callRoom,
  identityRoom,
  type CallRefusal,
  type RtcPeer,
} from '@contract/socket-events';
import type { SessionRecord } from '../store/records';
import type { Logger } from '../observability/logger';
import type { ChatService } from '../services/chat.service';
import type { ClassroomIo, ClassroomSocket } from './socket-server';
import { TokenBucket } from './socket-rate-limit';

const CALL_ROOM_PREFIX = 'call_';
const invalid: CallRefusal = { ok: false, code: 'INVALID_PAYLOAD', message: 'sessionId is required.' };

export class CallRooms {
  constructor(
    private readonly chat: ChatService,
    private readonly logger: Logger,
  ) {}

  /** The distinct people whose windows are in the call (a leaving socket excluded). */
  private async participants(io: ClassroomIo, sessionId: string, excludingSocketId?: string): Promise<RtcPeer[]> {
    const people = new Map<string, RtcPeer>();
    for (const s of await io.in(callRoom(sessionId)).fetchSockets()) {
      if (s.id !== excludingSocketId) people.set(s.data.userId, { userId: s.data.userId, role: s.data.role, name: s.data.name });
    }
    return [...people.values()];
  }

  /** Both participants' apps learn who is in the call (the pre-join screen shows it). */
  private async announce(io: ClassroomIo, session: Pick<SessionRecord, 'id' | 'mentor_id' | 'student_id'>, excludingSocketId?: string): Promise<void> {
    const participants = await this.participants(io, session.id, excludingSocketId);
    io.to([identityRoom('mentor', session.mentor_id), identityRoom('student', session.student_id)]).emit('call_participants', { sessionId: session.id, participants });
  }

  attach(io: ClassroomIo, socket: ClassroomSocket): void {
    const limiter = new TokenBucket(30, 5);
    const guarded = <A>(handler: (request: unknown, ack: (result: A) => void) => Promise<void>) => {
      return (request: unknown, ack?: (result: A) => void) => {
        const reply = typeof ack === 'function' ? ack : () => undefined;
        if (!limiter.take()) return reply({ ok: false, code: 'RATE_LIMITED', message: 'Too many messages.' } as A);
        handler(request, reply).catch((error: unknown) => {
          this.logger.error({ err: error, userId: socket.data.userId }, 'call event failed');
          reply({ ok: false, code: 'SESSION_NOT_LIVE', message: 'The call could not be reached.' } as A);
        });
      };
    };

    /** The live session a call request names, if this socket's user takes part in it; else the refusal. */
    const participantOf = async (request: unknown) => {
      const parsed = CallRequestSchema.safeParse(request);
      return parsed.success ? this.chat.participantSession(parsed.data.sessionId, socket.data.userId) : invalid;
    };

    socket.on(
      'call_join',
      guarded(async (request, ack) => {
        const check = await participantOf(request);
        if (!check.ok) return ack(check);
        const room = callRoom(check.session.id);
        // One presence per person: the same person's other windows (on any node) step back.
        for (const other of await io.in(room).fetchSockets()) {
          if (other.id === socket.id || other.data.userId !== socket.data.userId) continue;
          other.leave(room);
          other.emit('call_taken_over', { sessionId: check.session.id });
        }
        await socket.join(room);
        await this.announce(io, check.session);
        ack({ ok: true, participants: await this.participants(io, check.session.id), messages: await this.chat.history(check.session) });
      }),
    );

    socket.on(
      'call_peek',
      guarded(async (request, ack) => {
        const check = await participantOf(request);
        if (!check.ok) return ack(check);
        ack({ ok: true, participants: await this.participants(io, check.session.id) });
      }),
    );

    socket.on('call_leave', (request) => {
      if (!limiter.take()) return;
      const parsed = CallRequestSchema.safeParse(request);
      if (!parsed.success || !socket.rooms.has(callRoom(parsed.data.sessionId))) return;
      void socket.leave(callRoom(parsed.data.sessionId));
      void this.chat
        .participantSession(parsed.data.sessionId, socket.data.userId)
        .then((check) => (check.ok ? this.announce(io, check.session) : undefined))
        .catch((error: unknown) => this.logger.error({ err: error }, 'call_leave announcement failed'));
    });

    socket.on(
      'chat_send',
      guarded(async (request, ack) => {
        const parsed = ChatSendRequestSchema.safeParse(request);
        if (!parsed.success) return ack({ ok: false, code: 'INVALID_PAYLOAD', message: 'A message is 1 to 1000 characters.' });
        const room = callRoom(parsed.data.sessionId);
        // Only a window in the call speaks in it (a taken-over window has stepped back).
        if (!socket.rooms.has(room)) return ack({ ok: false, code: 'FORBIDDEN', message: 'Join the call first.' });
        const check = await this.chat.participantSession(parsed.data.sessionId, socket.data.userId);
        if (!check.ok) return ack(check);
        const message = await this.chat.send(check.session, { userId: socket.data.userId, name: socket.data.name }, parsed.data.text);
        if (!message) return ack({ ok: false, code: 'CHAT_FULL', message: 'This session’s chat is full.' });
        io.to(room).emit('chat_message', message);
        ack({ ok: true, message });
      }),
    );

    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        if (!room.startsWith(CALL_ROOM_PREFIX)) continue;
        const sessionId = room.slice(CALL_ROOM_PREFIX.length);
        void this.chat
          .participantSession(sessionId, socket.data.userId)
          .then((check) => (check.ok ? this.announce(io, check.session, socket.id) : undefined))
          .catch((error: unknown) => this.logger.error({ err: error }, 'call presence announcement failed'));
      }
    });
  }
}
