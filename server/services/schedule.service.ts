/**
 * The mentor's week and the student's next days: every slot the mentor offers, with its booking,
 * whether the student's app is online, and any live session with its ring, as concrete instants of
 * the requested week (slots are wall-clock times in the mentor's zone; clients show them in the
 * viewer's zone).
 */
import type { MentorWeekData, ScheduleSlot, StudentUpcomingData, UpcomingBooking } from '@contract/api';
import { formatHour, parseSlotId } from '@contract/domain';
import type { SessionRecord, UserRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import type { Identity } from './auth.service';
import { isoAt, type Clock } from './clock';
import { AppError, forbidden } from './errors';
import type { NotificationService } from './notifications.service';
import type { RingService } from './ring.service';
import { addDays, formatDate, isValidTimeZone, mondayOfWeek, slotInstants } from './time-zones';

const DAY_MS = 24 * 60 * 60 * 1000;
const UPCOMING_DAYS = 7;

/** Who is online right now; implemented by the realtime layer (across nodes with Redis). */
export interface PresenceDirectory {
  onlineAmong(userIds: string[]): Promise<Set<string>>;
}

const zoneOf = (user: UserRecord | undefined) => (user && isValidTimeZone(user.time_zone) ? user.time_zone : 'UTC');

export class ScheduleService {
  private presence: PresenceDirectory = { onlineAmong: async () => new Set() };

  constructor(
    private readonly store: ClassroomStore,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
    private readonly rings: RingService,
  ) {}

  attachPresence(presence: PresenceDirectory): void {
    this.presence = presence;
  }

  async mentorWeek(identity: Identity, week?: string): Promise<MentorWeekData> {
    if (identity.user.role !== 'mentor') throw forbidden('Only a mentor has a weekly schedule.');
    const mentor = await this.store.getUser(identity.user.id);
    if (!mentor) throw forbidden('Unknown mentor.');
    const timeZone = zoneOf(mentor);
    if (week !== undefined && formatDate(addDays(parseDate(week), 0)) !== week) {
      throw new AppError(400, 'VALIDATION_FAILED', `week ${week} is not a calendar date.`, [{ path: 'week', message: 'not a calendar date' }]);
    }
    const nowMs = this.clock();
    const monday = mondayOfWeek(timeZone, nowMs, week);
    const thisWeekStart = formatDate(mondayOfWeek(timeZone, nowMs));
    // A live session belongs to the current week's slot only, never to the same slot in other weeks.
    const isCurrentWeek = formatDate(monday) === thisWeekStart;

    const bookings = await this.store.listBookingsForMentor(mentor.id);
    const live = isCurrentWeek ? await this.store.listLiveSessionsForMentor(mentor.id, nowMs) : [];
    const liveBySlot = new Map<string, SessionRecord>();
    for (const session of live) liveBySlot.set(`${session.slot_id}\u0000${session.student_id}`, session);
    const online = await this.presence.onlineAmong([...new Set(bookings.map((b) => b.student_id))]);

    const slotIds = new Set([...mentor.slot_ids, ...bookings.map((b) => b.slot_id)]);
    const slots: ScheduleSlot[] = [];
    for (const slotId of slotIds) {
      const slot = parseSlotId(slotId);
      if (!slot) continue;
      const { startsAtMs, endsAtMs } = slotInstants(slot, monday, timeZone);
      const booking = bookings.find((b) => b.slot_id === slotId);
      const student = booking ? await this.store.getUser(booking.student_id) : undefined;
      const session = booking ? liveBySlot.get(`${slotId}\u0000${booking.student_id}`) : undefined;
      slots.push({
        slotId,
        day: slot.day,
        startTime: formatHour(slot.startHour),
        endTime: formatHour(slot.endHour),
        startsAt: isoAt(startsAtMs),
        endsAt: isoAt(endsAtMs),
        booking: booking
          ? {
              studentId: booking.student_id,
              studentName: student?.name ?? booking.student_id,
              sessionType: booking.session_type,
              online: online.has(booking.student_id),
            }
          : null,
        liveSession: session
          ? {
              sessionId: session.id,
              roomId: session.room_id,
              status: session.status === 'active' ? 'active' : 'created',
              sessionType: session.session_type,
              expiresAt: session.expires_at,
              deliveryState: await this.notifications.deliveryState(session),
              ring: await this.rings.status(session),
            }
          : null,
      });
    }
    slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return { mentorId: mentor.id, timeZone, weekStart: formatDate(monday), thisWeekStart, slots };
  }

  /** The student's bookings that have not ended and start within the next 7 days, soonest first. */
  async studentUpcoming(identity: Identity): Promise<StudentUpcomingData> {
    if (identity.user.role !== 'student') throw forbidden('Only a student has upcoming bookings.');
    const nowMs = this.clock();
    const bookings: UpcomingBooking[] = [];
    for (const booking of await this.store.listBookingsForStudent(identity.user.id)) {
      const slot = parseSlotId(booking.slot_id);
      if (!slot) continue;
      const mentor = await this.store.getUser(booking.mentor_id);
      const timeZone = zoneOf(mentor);
      const thisMonday = mondayOfWeek(timeZone, nowMs);
      for (const monday of [thisMonday, addDays(thisMonday, 7)]) {
        const { startsAtMs, endsAtMs } = slotInstants(slot, monday, timeZone);
        if (endsAtMs <= nowMs || startsAtMs >= nowMs + UPCOMING_DAYS * DAY_MS) continue;
        bookings.push({ slotId: booking.slot_id, mentorName: mentor?.name ?? booking.mentor_id, sessionType: booking.session_type, startsAt: isoAt(startsAtMs), endsAt: isoAt(endsAtMs) });
      }
    }
    bookings.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return { bookings };
  }
}

function parseDate(isoDate: string) {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}
