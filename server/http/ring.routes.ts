/** The ring as a call (answer it, ring again) and the student's next days. */
import { DeclineRequestSchema, RingDataSchema, SessionParamsSchema, StudentUpcomingDataSchema } from '@contract/api';
import type { AuthService } from '../services/auth.service';
import type { RingService } from '../services/ring.service';
import type { ScheduleService } from '../services/schedule.service';
import { ok } from './envelope';
import { authenticate, BEARER, identityOf, responses, type ZodApp } from './route-kit';

export function registerRingRoutes(app: ZodApp, auth: AuthService, rings: RingService, schedule: ScheduleService): void {
  const preHandler = authenticate(auth);

  app.post('/api/sessions/:sessionId/decline', {
    schema: {
      tags: ['sessions'],
      summary: "Decline the ring (the session's student only); an optional reason — a quick reply such as \"Running 5 minutes late\" — reaches the mentor live. The body may be omitted.",
      security: BEARER,
      params: SessionParamsSchema,
      body: DeclineRequestSchema.nullish(),
      response: responses(RingDataSchema, 400, 401, 403, 404, 409),
    },
    preHandler,
    handler: async (request) => ok(await rings.decline(identityOf(request), request.params.sessionId, request.body?.reason)),
  });

  app.post('/api/sessions/:sessionId/ring', {
    schema: {
      tags: ['sessions'],
      summary: 'Ring the student again after a decline or a missed ring (the mentor only; a ring still ringing is left as it is).',
      security: BEARER,
      params: SessionParamsSchema,
      response: responses(RingDataSchema, 400, 401, 403, 404, 409),
    },
    preHandler,
    handler: async (request) => ok(await rings.ringAgain(identityOf(request), request.params.sessionId)),
  });

  app.get('/api/student/upcoming', {
    schema: {
      tags: ['schedule'],
      summary: "The student's bookings in the next 7 days, soonest first.",
      security: BEARER,
      response: responses(StudentUpcomingDataSchema, 401, 403),
    },
    preHandler,
    handler: async (request) => ok(await schedule.studentUpcoming(identityOf(request))),
  });
}
