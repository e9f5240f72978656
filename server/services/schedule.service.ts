/**
 * The mentor's week: every slot the mentor offers, with its booking and any live session, as
 * concrete instants of the requested week (slots are wall-clock times in the mentor's zone; the
 * client shows them in the viewer's zone).
 */
import type { MentorWeekData, ScheduleSlot } from '@contract/api';
import { WEEKDAYS, formatHour, parseSlotId } from '@contract/domain';
import type { SessionRecord } from '../store/records';
import type { ClassroomStore } from '../store/classroom-store';
import type { Identity } from './auth.service';
import { isoAt, type Clock } from './clock';
import { AppError, forbidden } from './errors';
import type { NotificationService } from './notifications.service';
import { addDays, formatDate, isValidTimeZone, mondayOfWeek, zonedTimeToInstant } from './time-zones';

export class ScheduleService {
  constructor(
    private readonly store: ClassroomStore,
    private readonly notifications: NotificationService,
    private readonly clock: Clock,
  ) {}

  async mentorWeek(identity: Identity, week?: string): Promise<MentorWeekData> {
    if (identity.user.role !== 'mentor') throw forbidden('Only a mentor has a weekly schedule.');
    const mentor = await this.store.getUser(identity.user.id);
    if (!mentor) throw forbidden('Unknown mentor.');
    const timeZone = isValidTimeZone(mentor.time_zone) ? mentor.time_zone : 'UTC';
    if (week !== undefined && formatDate(addDays(parseDate(week), 0)) !== week) {
      throw new AppError(400, 'VALIDATION_FAILED', `week ${week} is not a calendar date.`, [{ path: 'week', message: 'not a calendar date' }]);
    }
    const monday = mondayOfWeek(timeZone, this.clock(), week);

    const bookings = await this.store.listBookingsForMentor(mentor.id);
    const live = await this.store.listLiveSessionsForMentor(mentor.id, this.clock());
    const liveBySlot = new Map<string, SessionRecord>();
    for (const session of live) liveBySlot.set(`${session.slot_id}\u0000${session.student_id}`, session);

    const slotIds = new Set([...mentor.slot_ids, ...bookings.map((b) => b.slot_id)]);
    const slots: ScheduleSlot[] = [];
    for (const slotId of slotIds) {
      const slot = parseSlotId(slotId);
      if (!slot) continue;
      const date = addDays(monday, WEEKDAYS.indexOf(slot.day));
      const booking = bookings.find((b) => b.slot_id === slotId);
      const student = booking ? await this.store.getUser(booking.student_id) : undefined;
      const session = booking ? liveBySlot.get(`${slotId}\u0000${booking.student_id}`) : undefined;
      slots.push({
        slotId,
        day: slot.day,
        startTime: formatHour(slot.startHour),
        endTime: formatHour(slot.endHour),
        startsAt: isoAt(zonedTimeToInstant(date.year, date.month, date.day, slot.startHour, timeZone)),
        endsAt: isoAt(zonedTimeToInstant(date.year, date.month, date.day, slot.endHour, timeZone)),
        booking: booking
          ? { studentId: booking.student_id, studentName: student?.name ?? booking.student_id, sessionType: booking.session_type }
          : null,
        liveSession: session
          ? {
              sessionId: session.id,
              roomId: session.room_id,
              status: session.status === 'active' ? 'active' : 'created',
              sessionType: session.session_type,
              expiresAt: session.expires_at,
              deliveryState: await this.notifications.deliveryState(session),
            }
          : null,
      });
    }
    slots.sort((a, b) => a.startsAt.localeCompare(b.startsAt));
    return { mentorId: mentor.id, timeZone, weekStart: formatDate(monday), slots };
  }
}

function parseDate(isoDate: string) {
  const [year, month, day] = isoDate.split('-').map(Number) as [number, number, number];
  return { year, month, day };
}
