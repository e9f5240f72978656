/**
 * The composition root: `createApplication(config, components)` builds the store, services, HTTP
 * routes and Socket.IO on one HTTP server. Tests call it on port 0 with a temp data folder; the
 * `npm run serve` entry and the Electron embedded server call it with the real configuration.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyCors from '@fastify/cors';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import { Redis } from 'ioredis';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyReply } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Server as HttpServer } from 'node:http';
import { contentSecurityPolicy } from '@contract/csp';
import type { Config } from './config';
import { failure, installErrorHandling, installNotFound } from './http/envelope';
import { registerAuthRoutes } from './http/auth.routes';
import { registerRingRoutes } from './http/ring.routes';
import { registerPastSessionRoutes } from './http/past-sessions.routes';
import { registerSessionRoutes } from './http/sessions.routes';
import { registerSystemRoutes } from './http/system.routes';
import { createLogger, type Logger } from './observability/logger';
import { createMetrics, type Metrics } from './observability/metrics';
import { CallRooms } from './realtime/call.handlers';
import { RtcRelay } from './realtime/rtc-relay.handlers';
import { createRedisAdapter } from './realtime/redis-adapter';
import { createRealtime, type ClassroomIo } from './realtime/socket-server';
import { AuthService, DEFAULT_ACCESS_TOKEN_TTL_MS, DEFAULT_REFRESH_TOKEN_TTL_MS } from './services/auth.service';
import { PastSessionsService } from './services/past-sessions.service';
import { isoAt, systemClock, type Clock } from './services/clock';
import { buildDemoData } from './services/demo-data';
import { ChatService } from './services/chat.service';
import { NotificationService } from './services/notifications.service';
import { RingService } from './services/ring.service';
import { RoomTokenService } from './services/room-token.service';
import { ScheduleService } from './services/schedule.service';
import { SessionEvents } from './services/session-events';
import { SessionsService } from './services/sessions.service';
import { P2pRoomTokenIssuer, ZegoRoomTokenIssuer, type RoomTokenIssuer } from './services/tokens/room-tokens';
import type { ClassroomStore } from './store/classroom-store';
import { openStore } from './store/open-store';

export const SERVER_VERSION = '0.1.0';

export interface AppOptions {
  /** At most 60 minutes; renewal is the refresh token's job. */
  accessTokenTtlMs: number;
  /** A device sign-in ends when its refresh token is unused this long (each refresh slides it). */
  refreshTokenTtlMs: number;
  /** Cap of one room token's life (a longer session renews through join). */
  maxRoomTokenTtlMs: number;
  notificationAckTimeoutMs: number;
  /** How often expired sessions/tokens are cleaned up and unacknowledged rings retried. */
  maintenanceIntervalMs: number;
  notificationRetryAfterMs: number;
  loginAttemptsPerMinute: number;
  /** Folder of the built web client served at `/`; null to serve the API only. */
  webRoot: string | null;
}

export const DEFAULT_APP_OPTIONS: AppOptions = {
  accessTokenTtlMs: DEFAULT_ACCESS_TOKEN_TTL_MS,
  refreshTokenTtlMs: DEFAULT_REFRESH_TOKEN_TTL_MS,
  maxRoomTokenTtlMs: 4 * 60 * 60 * 1000,
  notificationAckTimeoutMs: 10_000,
  maintenanceIntervalMs: 30_000,
  notificationRetryAfterMs: 30_000,
  loginAttemptsPerMinute: 10,
  webRoot: null,
};

export interface Components {
  store?: ClassroomStore;
  clock?: Clock;
  logger?: Logger;
  options?: Partial<AppOptions>;
}

export interface Application {
  config: Config;
  http: HttpServer;
  io: ClassroomIo;
  store: ClassroomStore;
  metrics: Metrics;
  logger: Logger;
  services: { auth: AuthService; sessions: SessionsService; notifications: NotificationService; schedule: ScheduleService; rings: RingService };
  /** True when this start seeded the demo accounts into an empty store. */
  demoSeeded: boolean;
  /** One maintenance pass now (expiry, purge, retries); the timer runs the same. */
  runMaintenance(): Promise<void>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createApplication(config: Config, components: Components = {}): Promise<Application> {
  const options: AppOptions = { ...DEFAULT_APP_OPTIONS, ...components.options };
  const clock = components.clock ?? systemClock;
  const logger = components.logger ?? createLogger(config.logLevel);
  const metrics = createMetrics();
  const ownsStore = !components.store;
  const store =
    components.store ??
    (await openStore(config, {
      onWrite: ({ durationMs, coalesced }) => {
        metrics.storeWrites.observe(durationMs / 1000);
        metrics.storeWriteCoalesced.observe(coalesced);
      },
    }));

  const onClose: Array<() => Promise<void>> = [];
  try {
    let demoSeeded = false;
    if (config.demo) {
      const demo = await buildDemoData(isoAt(clock()));
      demoSeeded = await store.seedIfEmpty(demo.users, demo.bookings);
    }

    const issuer: RoomTokenIssuer = config.zego
      ? new ZegoRoomTokenIssuer(config.zego)
      : new P2pRoomTokenIssuer(await store.getOrCreateSecret('p2p_signing_key', () => randomBytes(32).toString('base64')));

    const events = new SessionEvents(logger, metrics);
    const auth = new AuthService(store, clock, { accessTokenTtlMs: options.accessTokenTtlMs, refreshTokenTtlMs: options.refreshTokenTtlMs });
    const roomTokens = new RoomTokenService(store, issuer, clock, options.maxRoomTokenTtlMs);
    const notifications = new NotificationService(store, roomTokens, events, clock, (seconds) => metrics.notificationAckSeconds.observe(seconds), config.ringTimeoutMs);
    const rings = new RingService(store, notifications, events, clock, logger, config.ringTimeoutMs);
    onClose.push(async () => rings.close());
    const sessions = new SessionsService(store, roomTokens, notifications, events, clock, { iceServers: config.iceServers, zegoServer: config.zego?.serverUrl ?? null }, rings);
    const schedule = new ScheduleService(store, notifications, clock, rings);

    const app = Fastify({
      loggerInstance: logger as FastifyBaseLogger,
      // Per-request lines are ours (onResponse, at debug, without query strings).
      logController: new LogController({ disableRequestLogging: true }),
      bodyLimit: 64 * 1024,
      trustProxy: false,
      // Router-level refusals (a malformed URL, an overlong id in the path) in the envelope too.
      frameworkErrors: (error, _request, reply) => {
        const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
        void (reply as FastifyReply).code(tooLong ? 414 : 400).send(failure('VALIDATION_FAILED', tooLong ? 'An id in the path is too long.' : 'The URL is malformed.'));
      },
      // Requests Node's HTTP parser refuses before Fastify sees them still get the envelope.
      clientErrorHandler: (error, socket) => {
        if (!socket.writable) return;
        const tooLarge = (error as NodeJS.ErrnoException).code === 'HPE_HEADER_OVERFLOW';
        const status = tooLarge ? 431 : 400;
        const body = JSON.stringify(failure('VALIDATION_FAILED', tooLarge ? 'The request line or headers are too large.' : 'The request could not be parsed.'));
        socket.end(`HTTP/1.1 ${status} ${tooLarge ? 'Request Header Fields Too Large' : 'Bad Request'}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`);
      },
    }).withTypeProvider<ZodTypeProvider>();
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    installErrorHandling(app);

    // An empty body with a JSON content type is "no body" (clients POST to join/end that way),
    // everything else goes through Fastify's prototype-poisoning-safe JSON parser.
    const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
    // JSON only: a text/plain body is refused with 415 rather than parsed as a string.
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      if (text.trim() === '') return done(null, undefined);
      defaultJsonParser(request, text, done);
    });

    app.addHook('onResponse', async (request, reply) => {
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
      request.log.debug({ req: request, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
    });
    const csp = contentSecurityPolicy(null, config.zego !== null);
    app.addHook('onSend', async (_request, reply, payload) => {
      reply.header('x-content-type-options', 'nosniff');
      reply.header('referrer-policy', 'no-referrer');
      if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
        reply.header('content-security-policy', csp);
        reply.header('x-frame-options', 'DENY');
      }
      return payload;
    });
    // The desktop renderer (classroom-app://app) calls the API from its own origin.
    await app.register(fastifyCors, { origin: config.allowedOrigins, methods: ['GET', 'POST', 'DELETE'], allowedHeaders: ['authorization', 'content-type'], maxAge: 600 });

    await app.register(fastifySwagger, {
      openapi: {
        info: { title: 'Classroom API', version: SERVER_VERSION, description: 'Sessions, room tokens and schedules for live 1:1 mentoring.' },
        components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
      },
      transform: jsonSchemaTransform,
    });
    // With several nodes, login attempts are counted in Redis, so the limit holds across the cluster.
    const rateLimitRedis = config.store === 'redis' && config.redisUrl ? new Redis(config.redisUrl, { connectTimeout: 500, maxRetriesPerRequest: 1 }) : null;
    rateLimitRedis?.on('error', () => undefined);
    onClose.push(async () => void (await rateLimitRedis?.quit().catch(() => rateLimitRedis.disconnect())));
    await app.register(fastifyRateLimit, { global: false, ...(rateLimitRedis ? { redis: rateLimitRedis, nameSpace: 'classroom:login-limit:' } : {}) });

    registerSystemRoutes(app, metrics, { version: SERVER_VERSION, engine: issuer.engine, store: store.kind, startedAtMs: Date.now() });
    registerAuthRoutes(app, auth, { loginAttemptsPerMinute: components.options?.loginAttemptsPerMinute ?? config.loginAttemptsPerMinute ?? options.loginAttemptsPerMinute });
    registerSessionRoutes(app, auth, sessions, schedule);
    registerRingRoutes(app, auth, rings, schedule);
    registerPastSessionRoutes(app, auth, new PastSessionsService(store));

    const webRoot = options.webRoot && existsSync(path.join(options.webRoot, 'index.html')) ? options.webRoot : null;
    if (webRoot) await app.register(fastifyStatic, { root: webRoot, index: 'index.html', wildcard: false });
    installNotFound(app, webRoot ? (reply) => reply.sendFile('index.html') : null);

    await app.ready();
    const redisAdapter = config.store === 'redis' && config.redisUrl ? await createRedisAdapter(config.redisUrl) : null;
    if (redisAdapter) onClose.push(() => redisAdapter.close());
    const relay = new RtcRelay(store, issuer, clock, logger);
    const calls = new CallRooms(new ChatService(store, clock), logger);
    const realtime = createRealtime(
      app.server,
      { auth, notifications, rings, relay, calls, store, logger, metrics, clock },
      { ackTimeoutMs: options.notificationAckTimeoutMs, allowedOrigins: config.allowedOrigins, adapter: redisAdapter?.adapter },
    );
    notifications.attach(realtime.transport);
    rings.attach(realtime.transport);
    schedule.attachPresence(realtime.presence);

    let maintenanceRunning: Promise<void> | null = null;
    const runMaintenance = () => {
      maintenanceRunning ??= (async () => {
        try {
          await sessions.expireDue();
          await store.purgeExpired(clock());
          await notifications.retryPending(options.notificationRetryAfterMs);
        } catch (error) {
          logger.error({ err: error }, 'maintenance pass failed');
        } finally {
          maintenanceRunning = null;
        }
      })();
      return maintenanceRunning;
    };
    const maintenanceTimer = setInterval(() => void runMaintenance(), options.maintenanceIntervalMs);
    maintenanceTimer.unref();

    let closed = false;
    return {
      config,
      http: app.server,
      io: realtime.io,
      store,
      metrics,
      logger,
      services: { auth, sessions, notifications, schedule, rings },
      demoSeeded,
      runMaintenance,
      async listen() {
        await app.listen({ port: config.port, host: config.host });
        const address = app.server.address();
        const port = typeof address === 'object' && address ? address.port : config.port;
        const host = config.host.includes(':') ? `[${config.host}]` : config.host;
        return `http://${host}:${port}`;
      },
      async close() {
        if (closed) return;
        closed = true;
        clearInterval(maintenanceTimer);
        realtime.io.disconnectSockets(true);
        await new Promise<void>((resolve) => realtime.io.close(() => resolve()));
        await app.close().catch(() => undefined);
        await maintenanceRunning;
        for (const step of onClose) await step();
        if (ownsStore) await store.close();
      },
    };
  } catch (error) {
    for (const step of onClose) await step();
    if (ownsStore) await store.close();
    throw error;
  }
}
