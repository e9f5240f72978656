/**
 * Who is online, for the mentor's week: a student is online while any app of theirs (desktop or
 * web) holds a socket. Mentors' sockets join the presence rooms of their booked students, so a
 * change reaches them live — across server nodes through the Redis adapter, like everything else.
 */
import { identityRoom, presenceRoom } from '@contract/socket-events';
import type { Logger } from '../observability/logger';
import type { PresenceDirectory } from '../services/schedule.service';
import type { ClassroomStore } from '../store/classroom-store';
import type { ClassroomIo, ClassroomSocket } from './socket-server';

export class Presence implements PresenceDirectory {
  constructor(
    private readonly io: ClassroomIo,
    private readonly store: ClassroomStore,
    private readonly logger: Logger,
  ) {}

  async onlineAmong(userIds: string[]): Promise<Set<string>> {
    if (userIds.length === 0) return new Set();
    const sockets = await this.io.in(userIds.map((id) => identityRoom('student', id))).fetchSockets();
    return new Set(sockets.filter((s) => s.data.role === 'student').map((s) => s.data.userId));
  }

  connected(socket: ClassroomSocket): void {
    const { userId, role } = socket.data;
    if (role === 'mentor') {
      this.store
        .listBookingsForMentor(userId)
        .then((bookings) => socket.join([...new Set(bookings.map((b) => presenceRoom(b.student_id)))]))
        .catch((error: unknown) => this.logger.error({ err: error, userId }, 'presence subscription failed'));
      return;
    }
    this.io.to(presenceRoom(userId)).emit('presence', { userId, online: true });
    socket.on('disconnect', () => {
      this.onlineAmong([userId])
        .then((online) => {
          if (!online.has(userId)) this.io.to(presenceRoom(userId)).emit('presence', { userId, online: false });
        })
        .catch((error: unknown) => this.logger.error({ err: error, userId }, 'presence update failed'));
    });
  }
}
