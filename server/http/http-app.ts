/**
 * The HTTP side of one server: Fastify with the cross-cutting plugins (body parsing, metrics,
 * security headers, Host and CORS boundary, abuse limits, OpenAPI), the routes, and the web client.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import type { Logger } from '../observability/logger';
import type { Metrics } from '../observability/metrics';
import type { Services } from '../services/compose-services';
import type { ClassroomStore } from '../store/classroom-store';
import { PastSessionsService } from '../services/past-sessions.service';
import { registerAuthRoutes } from './auth.routes';
import { installErrorHandling, installNotFound } from './envelope';
import { fastifyOptions } from './fastify-options';
import { createCapExemption } from './network-trust';
import { abuseLimits } from './plugins/abuse-limits';
import { browserBoundary } from './plugins/browser-boundary';
import { jsonBody } from './plugins/json-body';
import { openApi } from './plugins/openapi';
import { requestMetrics } from './plugins/request-metrics';
import { securityHeaders } from './plugins/security-headers';
import type { ZodApp } from './route-kit';
import { registerPastSessionRoutes } from './past-sessions.routes';
import { registerRingRoutes } from './ring.routes';
import { registerSessionRoutes } from './sessions.routes';
import { registerSystemRoutes } from './system.routes';

export interface HttpAppOptions {
  version: string;
  /** Folder of the built web client served at `/`; null to serve the API only. */
  webRoot: string | null;
  /** Count loopback peers against the per-address connection cap (tests of the cap). */
  countLoopbackConnections: boolean;
  hostAllowed: (hostHeader: string | undefined) => boolean;
}

export async function createHttpApp(
  config: Config,
  deps: { services: Services; store: ClassroomStore; logger: Logger; metrics: Metrics },
  options: HttpAppOptions,
): Promise<ZodApp> {
  const { services, metrics } = deps;
  const app = Fastify(fastifyOptions(config, deps.logger)).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandling(app);

  await app.register(jsonBody);
  await app.register(requestMetrics, { metrics });
  await app.register(securityHeaders, { zego: config.zego !== null });
  await app.register(browserBoundary, { allowedOrigins: config.allowedOrigins, hostAllowed: options.hostAllowed });
  await app.register(abuseLimits, {
    maxConnectionsPerAddress: config.limits.maxConnectionsPerAddress,
    exempt: createCapExemption(config, options.countLoopbackConnections),
    redis: services.sharedCounters?.client ?? null,
    onRefused: () => metrics.refusedConnections.inc(),
  });
  await app.register(openApi, { version: options.version });

  registerSystemRoutes(app, metrics, {
    version: options.version,
    engine: services.issuer.engine,
    store: deps.store.kind,
    startedAtMs: Date.now(),
    metricsToken: config.limits.metricsToken,
  });
  registerAuthRoutes(app, services.auth);
  registerSessionRoutes(app, services.auth, services.sessions, services.schedule);
  registerRingRoutes(app, services.auth, services.rings, services.schedule);
  registerPastSessionRoutes(app, services.auth, new PastSessionsService(deps.store));

  const webRoot = options.webRoot && existsSync(path.join(options.webRoot, 'index.html')) ? options.webRoot : null;
  if (webRoot) await app.register(fastifyStatic, { root: webRoot, index: 'index.html', wildcard: false });
  installNotFound(app, webRoot ? (reply) => reply.sendFile('index.html') : null);
  await app.ready();
  return app;
}
