/** One structured log line and one counter per session event (docs/interface.md §6.3). Never a token. */
import type { SessionRecord } from '../store/records';
import type { Logger } from '../observability/logger';
import type { Metrics, SessionEventName } from '../observability/metrics';

export class SessionEvents {
  private readonly listeners: Array<(event: SessionEventName, session: SessionRecord) => void> = [];

  constructor(
    private readonly logger: Logger,
    private readonly metrics: Metrics,
  ) {}

  record(event: SessionEventName, session: SessionRecord, extra: Record<string, string | number | boolean | null> = {}): void {
    this.metrics.sessionEvents.inc({ event });
    this.logger.info(
      {
        event: `session.${event}`,
        sessionId: session.id,
        roomId: session.room_id,
        mentorId: session.mentor_id,
        studentId: session.student_id,
        slotId: session.slot_id,
        ...extra,
      },
      `session ${event}`,
    );
    for (const listener of this.listeners) listener(event, session);
  }

  /** Called after every recorded event (the maintenance scheduler arms expiry timers on `created`). */
  onEvent(listener: (event: SessionEventName, session: SessionRecord) => void): void {
    this.listeners.push(listener);
  }

  /**
   * A step that runs after the caller has moved on (a ring the reply does not wait for, a retry)
   * failed: one error line with the session and the cause, since nobody else will see it.
   */
  failed(step: string, session: SessionRecord, error: unknown, extra: Record<string, string | number | boolean | null> = {}): void {
    this.logger.error(
      { event: `session.${step}_failed`, sessionId: session.id, roomId: session.room_id, studentId: session.student_id, err: error, ...extra },
      `session ${step} failed`,
    );
  }
}
