/** The ring as a call (answer it, ring again) and the student's next days. */
import { ROUTES } from '@contract/routes';
import type { AuthService } from '../services/auth.service';
import type { RingService } from '../services/ring.service';
import type { ScheduleService } from '../services/schedule.service';
import { signedInRoute, type ZodApp } from './route-kit';

export function registerRingRoutes(app: ZodApp, auth: AuthService, rings: RingService, schedule: ScheduleService): void {
  signedInRoute(app, auth, ROUTES.declineRing, (identity, { params, body }) => rings.decline(identity, params.sessionId, body?.reason));
  signedInRoute(app, auth, ROUTES.ringAgain, (identity, { params }) => rings.ringAgain(identity, params.sessionId));
  signedInRoute(app, auth, ROUTES.studentUpcoming, (identity) => schedule.studentUpcoming(identity));
}
