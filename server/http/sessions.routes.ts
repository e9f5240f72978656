import { ROUTES } from '@contract/routes';
import type { AuthService } from '../services/auth.service';
import type { ScheduleService } from '../services/schedule.service';
import type { SessionsService } from '../services/sessions.service';
import { ok } from './envelope';
import { authenticate, identityOf, routeOf, type ZodApp } from './route-kit';

export function registerSessionRoutes(app: ZodApp, auth: AuthService, sessions: SessionsService, schedule: ScheduleService): void {
  const preHandler = authenticate(auth);

  app.route({
    ...routeOf(ROUTES.createSession),
    preHandler,
    handler: async (request) => ok(await sessions.createSession(identityOf(request), request.body)),
  });

  app.route({
    ...routeOf(ROUTES.notifySessionStart),
    preHandler,
    handler: async (request) => ok(await sessions.notifySessionStart(identityOf(request), request.body)),
  });

  app.route({
    ...routeOf(ROUTES.mentorSchedule),
    preHandler,
    handler: async (request) => ok(await schedule.mentorWeek(identityOf(request), request.query.week)),
  });

  app.route({
    ...routeOf(ROUTES.studentSessions),
    preHandler,
    handler: async (request) => ok(await sessions.studentSessions(identityOf(request))),
  });

  app.route({
    ...routeOf(ROUTES.joinSession),
    preHandler,
    handler: async (request) => ok(await sessions.join(identityOf(request), request.params.sessionId)),
  });

  app.route({
    ...routeOf(ROUTES.endSession),
    preHandler,
    handler: async (request) => ok(await sessions.end(identityOf(request), request.params.sessionId)),
  });
}
