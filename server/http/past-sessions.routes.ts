import { PastSessionsDataSchema, PastSessionsQuerySchema } from '@contract/api';
import type { AuthService } from '../services/auth.service';
import type { PastSessionsService } from '../services/past-sessions.service';
import { ok } from './envelope';
import { authenticate, BEARER, identityOf, responses, type ZodApp } from './route-kit';

export function registerPastSessionRoutes(app: ZodApp, auth: AuthService, pastSessions: PastSessionsService): void {
  app.get('/api/mentor/past-sessions', {
    schema: {
      tags: ['sessions'],
      summary: "The mentor's ended sessions, most recent first, a page at a time (date, student, type, duration, ring outcome).",
      security: BEARER,
      querystring: PastSessionsQuerySchema,
      response: responses(PastSessionsDataSchema, 400, 401, 403),
    },
    preHandler: authenticate(auth),
    handler: async (request) => ok(await pastSessions.forMentor(identityOf(request), request.query)),
  });
}
