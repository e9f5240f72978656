import { ROUTES } from '@contract/routes';
import type { AuthService } from '../services/auth.service';
import type { ScheduleService } from '../services/schedule.service';
import type { SessionsService } from '../services/sessions.service';
import { signedInRoute, type ZodApp } from './route-kit';

export function registerSessionRoutes(app: ZodApp, auth: AuthService, sessions: SessionsService, schedule: ScheduleService): void {
  signedInRoute(app, auth, ROUTES.createSession, (identity, { body }) => sessions.createSession(identity, body));
  signedInRoute(app, auth, ROUTES.notifySessionStart, (identity, { body }) => sessions.notifySessionStart(identity, body));
  signedInRoute(app, auth, ROUTES.mentorSchedule, (identity, { query }) => schedule.mentorWeek(identity, query.week));
  signedInRoute(app, auth, ROUTES.studentSessions, (identity) => sessions.studentSessions(identity));
  signedInRoute(app, auth, ROUTES.joinSession, (identity, { params }) => sessions.join(identity, params.sessionId));
  signedInRoute(app, auth, ROUTES.endSession, (identity, { params }) => sessions.end(identity, params.sessionId));
}
