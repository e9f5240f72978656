import { ROUTES } from '@contract/routes';
import type { Metrics } from '../observability/metrics';
import { ok } from './envelope';
import { routeOf, type ZodApp } from './route-kit';

export interface SystemInfo {
  version: string;
  engine: 'zego' | 'p2p';
  store: 'json' | 'redis';
  startedAtMs: number;
}

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

  app.get('/metrics', {
    schema: { tags: ['system'], summary: 'Prometheus metrics (text exposition format).', hide: false },
    handler: async (_request, reply) => {
      reply.header('content-type', metrics.registry.contentType);
      return metrics.registry.metrics();
    },
  });

  app.get('/api/openapi.json', {
    schema: { tags: ['system'], summary: 'This API as an OpenAPI 3 document, generated from the shared zod schemas.' },
    handler: async () => app.swagger(),
  });
}
