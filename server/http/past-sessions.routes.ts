import { ROUTES } from '@contract/routes';
import type { AuthService } from '../services/auth.service';
import type { PastSessionsService } from '../services/past-sessions.service';
import { signedInRoute, type ZodApp } from './route-kit';

export function registerPastSessionRoutes(app: ZodApp, auth: AuthService, pastSessions: PastSessionsService): void {
  signedInRoute(app, auth, ROUTES.pastSessions, (identity, { query }) => pastSessions.forMentor(identity, query));
}
