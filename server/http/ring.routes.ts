/** The ring as a call (answer it, ring again) and the student's next days. */
import { ROUTES } from '@contract/routes';
import type { AuthService } from '../services/auth.service';
import type { RingService } from '../services/ring.service';
import type { ScheduleService } from '../services/schedule.service';
import { ok } from './envelope';
import { authenticate, identityOf, routeOf, type ZodApp } from './route-kit';

export function registerRingRoutes(app: ZodApp, auth: AuthService, rings: RingService, schedule: ScheduleService): void {
  const preHandler = authenticate(auth);

  app.route({
    ...routeOf(ROUTES.declineRing),
    preHandler,
    handler: async (request) => ok(await rings.decline(identityOf(request), request.params.sessionId, request.body?.reason)),
  });

  app.route({
    ...routeOf(ROUTES.ringAgain),
    preHandler,
    handler: async (request) => ok(await rings.ringAgain(identityOf(request), request.params.sessionId)),
  });

  app.route({
    ...routeOf(ROUTES.studentUpcoming),
    preHandler,
    handler: async (request) => ok(await schedule.studentUpcoming(identityOf(request))),
  });
}
