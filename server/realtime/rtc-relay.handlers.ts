/**
 * Signalling for the built-in peer-to-peer engine. A socket may relay SDP and ICE only in a room it
 * was admitted to, and it is admitted only with that user's current room token for a live session
 * it takes part in (docs/interface.md §6.1). Messages go to the other participants of that room, nowhere else.
 */
import { isSessionLive } from '../store/records';
import {
  RtcJoinRequestSchema,
  RtcLeaveRequestSchema,
  RtcSignalRequestSchema,
  rtcRoom,
  type RtcJoinResult,
  type RtcPeer,
} from '@contract/socket-events';
import type { Logger } from '../observability/logger';
import type { ClassroomStore } from '../store/classroom-store';
import { P2pRoomTokenIssuer, type RoomTokenIssuer } from '../services/tokens/room-tokens';
import type { ClassroomIo, ClassroomSocket } from './socket-server';
import { TokenBucket } from './socket-rate-limit';

export class RtcRelay {
  constructor(
    private readonly store: ClassroomStore,
    private readonly issuer: RoomTokenIssuer,
    private readonly clock: () => number,
    private readonly logger: Logger,
    private readonly limits = { burst: 120, perSecond: 60, joinBurst: 5, joinsPerSecond: 0.5 },
  ) {}

  private peerOf(socket: ClassroomSocket): RtcPeer {
    return { userId: socket.data.userId, role: socket.data.role, name: socket.data.name };
  }

  attach(socket: ClassroomSocket): void {
    const limiter = new TokenBucket(this.limits.burst, this.limits.perSecond);
    // Joins cost store reads and announce the caller to the other side: their own, tighter bucket.
    const joinLimiter = new TokenBucket(this.limits.joinBurst, this.limits.joinsPerSecond);
    /** Rooms this socket was admitted to, with the session's end: signalling stops there to the millisecond. */
    const admitted = new Map<string, number>();
    let dropped = 0;
    const allowed = () => {
      if (limiter.take()) return true;
      if (dropped++ % 100 === 0) this.logger.warn({ userId: socket.data.userId, dropped }, 'socket flood: messages dropped');
      return false;
    };

    socket.on('rtc_join', async (request, ack) => {
      if (typeof ack !== 'function') return;
      if (!allowed() || !joinLimiter.take()) return ack({ ok: false, code: 'RATE_LIMITED', message: 'Too many messages.' });
      try {
        ack(await this.join(socket, request, admitted));
      } catch (error) {
        this.logger.error({ err: error }, 'rtc_join failed');
        ack({ ok: false, code: 'SESSION_NOT_LIVE', message: 'Could not join the room.' });
      }
    });

    socket.on('rtc_signal', (request) => {
      if (!allowed()) return;
      const parsed = RtcSignalRequestSchema.safeParse(request);
      if (!parsed.success) return;
      const room = rtcRoom(parsed.data.roomId);
      if (!socket.rooms.has(room)) return;
      if (this.clock() >= (admitted.get(parsed.data.roomId) ?? 0)) {
        // The session is over, even if its end has not been processed yet.
        this.leave(socket, parsed.data.roomId);
        return;
      }
      socket.to(room).emit('rtc_signal', { roomId: parsed.data.roomId, from: this.peerOf(socket), data: parsed.data.data });
    });

    socket.on('rtc_leave', (request) => {
      if (!allowed()) return;
      const parsed = RtcLeaveRequestSchema.safeParse(request);
      if (!parsed.success) return;
      this.leave(socket, parsed.data.roomId);
    });

    socket.on('disconnecting', () => {
      for (const room of socket.rooms) {
        if (room.startsWith('rtc_')) socket.to(room).emit('rtc_peer_left', { roomId: room.slice(4), userId: socket.data.userId });
      }
    });
  }

  private async join(socket: ClassroomSocket, request: unknown, admitted: Map<string, number>): Promise<RtcJoinResult> {
    const parsed = RtcJoinRequestSchema.safeParse(request);
    if (!parsed.success) return { ok: false, code: 'INVALID_PAYLOAD', message: 'roomId and token are required.' };
    const { roomId, token } = parsed.data;
    const { userId } = socket.data;
    const now = this.clock();

    const session = await this.store.findSessionByRoom(roomId);
    if (!session || !isSessionLive(session, now)) return { ok: false, code: 'SESSION_NOT_LIVE', message: 'This session is not live.' };
    if (session.mentor_id !== userId && session.student_id !== userId) {
      return { ok: false, code: 'FORBIDDEN', message: 'You are not a participant of this session.' };
    }
    if (this.issuer instanceof P2pRoomTokenIssuer) {
      const check = this.issuer.verify(token, now);
      if (!check.ok) return { ok: false, code: check.code, message: 'The room token is not valid.' };
      if (check.claims.uid !== userId || check.claims.rid !== roomId || check.claims.sid !== session.id) {
        return { ok: false, code: 'TOKEN_INVALID', message: 'The room token is not yours for this room.' };
      }
    }
    const stored = await this.store.getSessionToken(session.id, userId);
    if (!stored || stored.token !== token) return { ok: false, code: 'TOKEN_INVALID', message: 'The room token is not the current one: join again.' };
    if (Date.parse(stored.expires_at) <= now) return { ok: false, code: 'TOKEN_EXPIRED', message: 'The room token has expired: join again.' };

    const room = rtcRoom(roomId);
    const inRoom = (await socket.in(room).fetchSockets()).filter((s) => s.id !== socket.id);
    // One presence per person: the same person's older window leaves the media room silently (the
    // call layer has told it), so the other participant negotiates with this window alone.
    for (const stale of inRoom.filter((s) => s.data.userId === userId)) stale.leave(room);
    const others = inRoom.filter((s) => s.data.userId !== userId);
    const peers = others.map((s) => ({ userId: s.data.userId, role: s.data.role, name: s.data.name }));
    // Idempotent per socket: joining a room it is already in announces nothing again. No await
    // between this check and the join, so concurrent joins from one socket cannot both announce.
    if (socket.rooms.has(room)) return { ok: true, roomId, peers };
    admitted.set(roomId, Date.parse(session.expires_at));
    void socket.join(room);
    socket.to(room).emit('rtc_peer_joined', { roomId, peer: this.peerOf(socket) });
    return { ok: true, roomId, peers };
  }

  private leave(socket: ClassroomSocket, roomId: string): void {
    const room = rtcRoom(roomId);
    if (!socket.rooms.has(room)) return;
    void socket.leave(room);
    socket.to(room).emit('rtc_peer_left', { roomId, userId: socket.data.userId });
  }

  /** The session ended: nobody may signal in its room any more. */
  closeRoom(io: ClassroomIo, roomId: string): void {
    io.in(rtcRoom(roomId)).socketsLeave(rtcRoom(roomId));
  }
}
