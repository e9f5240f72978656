import {
  CreateSessionDataSchema,
  CreateSessionRequestSchema,
  EndSessionDataSchema,
  JoinSessionDataSchema,
  MentorWeekDataSchema,
  NotifySessionStartDataSchema,
  NotifySessionStartRequestSchema,
  ScheduleQuerySchema,
  SessionParamsSchema,
  StudentSessionsDataSchema,
} from '@contract/api';
import type { AuthService } from '../services/auth.service';
import type { ScheduleService } from '../services/schedule.service';
import type { SessionsService } from '../services/sessions.service';
import { ok } from './envelope';
import { authenticate, BEARER, identityOf, responses, type ZodApp } from './route-kit';

export function registerSessionRoutes(app: ZodApp, auth: AuthService, sessions: SessionsService, schedule: ScheduleService): void {
  const preHandler = authenticate(auth);

  app.post('/api/mentor/create-session', {
    schema: {
      tags: ['sessions'],
      summary: 'Start a session for a booked slot (idempotent per live slot) and ring the student.',
      security: BEARER,
      body: CreateSessionRequestSchema,
      response: responses(CreateSessionDataSchema, 400, 401, 403, 404),
    },
    preHandler,
    handler: async (request) => ok(await sessions.createSession(identityOf(request), request.body)),
  });

  app.post('/api/mentor/notify-session-start', {
    schema: {
      tags: ['sessions'],
      summary: "Re-send the session notification; the token must be the student's room token.",
      security: BEARER,
      body: NotifySessionStartRequestSchema,
      response: responses(NotifySessionStartDataSchema, 400, 401, 403, 404, 409),
    },
    preHandler,
    handler: async (request) => ok(await sessions.notifySessionStart(identityOf(request), request.body)),
  });

  app.get('/api/mentor/schedule', {
    schema: {
      tags: ['schedule'],
      summary: "The mentor's week: offered slots, bookings and live sessions.",
      security: BEARER,
      querystring: ScheduleQuerySchema,
      response: responses(MentorWeekDataSchema, 400, 401, 403),
    },
    preHandler,
    handler: async (request) => ok(await schedule.mentorWeek(identityOf(request), request.query.week)),
  });

  app.get('/api/student/sessions', {
    schema: {
      tags: ['sessions'],
      summary: "The student's live sessions, each as its notification payload.",
      security: BEARER,
      response: responses(StudentSessionsDataSchema, 401, 403),
    },
    preHandler,
    handler: async (request) => ok(await sessions.studentSessions(identityOf(request))),
  });

  app.post('/api/sessions/:sessionId/join', {
    schema: {
      tags: ['sessions'],
      summary: 'Join a live session as its mentor or student; re-mints the room token near expiry.',
      security: BEARER,
      params: SessionParamsSchema,
      response: responses(JoinSessionDataSchema, 400, 401, 403, 404, 409),
    },
    preHandler,
    handler: async (request) => ok(await sessions.join(identityOf(request), request.params.sessionId)),
  });

  app.post('/api/sessions/:sessionId/end', {
    schema: {
      tags: ['sessions'],
      summary: 'End the session (mentor only; idempotent).',
      security: BEARER,
      params: SessionParamsSchema,
      response: responses(EndSessionDataSchema, 400, 401, 403, 404),
    },
    preHandler,
    handler: async (request) => ok(await sessions.end(identityOf(request), request.params.sessionId)),
  });
}
