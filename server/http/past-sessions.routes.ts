import { ROUTES } from '@contract/routes';
import type { AuthService } from '../services/auth.service';
import type { PastSessionsService } from '../services/past-sessions.service';
import { ok } from './envelope';
import { authenticate, identityOf, routeOf, type ZodApp } from './route-kit';

export function registerPastSessionRoutes(app: ZodApp, auth: AuthService, pastSessions: PastSessionsService): void {
  app.route({
    ...routeOf(ROUTES.pastSessions),
    preHandler: authenticate(auth),
    handler: async (request) => ok(await pastSessions.forMentor(identityOf(request), request.query)),
  });
}
