import { timingSafeEqual } from 'node:crypto';
import { ROUTES } from '@contract/routes';
import type { Metrics } from '../observability/metrics';
import { bearerToken } from '../services/auth.service';
import { failure, ok } from './envelope';
import { routeOf, type ZodApp } from './route-kit';

export interface SystemInfo {
  version: string;
  engine: 'zego' | 'p2p';
  store: 'json' | 'redis';
  startedAtMs: number;
  /** Opens /metrics on this port to requests bearing it; null = /metrics is not served here. */
  metricsToken: string | null;
}

const sameSecret = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

export function registerSystemRoutes(app: ZodApp, metrics: Metrics, info: SystemInfo): void {
  app.route({
    ...routeOf(ROUTES.health),
    handler: async () =>
      ok({
        status: 'ok' as const,
        version: info.version,
        engine: info.engine,
        store: info.store,
        uptimeSeconds: Math.round((Date.now() - info.startedAtMs) / 1000),
      }),
  });

  // Closed unless a metrics token is configured: the numbers describe the server's users and load.
  app.get('/metrics', {
    schema: { tags: ['system'], summary: 'Prometheus metrics (text exposition format); needs the metrics token as a bearer.', hide: info.metricsToken === null },
    handler: async (request, reply) => {
      const presented = bearerToken(request.headers.authorization);
      if (info.metricsToken === null) return reply.code(404).send(failure('NOT_FOUND', 'There is no GET /metrics.'));
      if (!presented || !sameSecret(presented, info.metricsToken)) return reply.code(401).send(failure('UNAUTHENTICATED', 'The metrics token is missing or wrong.'));
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  });

  app.get('/api/openapi.json', {
    schema: { tags: ['system'], summary: 'This API as an OpenAPI 3 document, generated from the shared zod schemas.' },
    handler: async () => app.swagger(),
  });
}
