/** One histogram sample and one debug line (no query string) per request. */
import fp from 'fastify-plugin';
import type { Metrics } from '../../observability/metrics';

export const requestMetrics = fp<{ metrics: Metrics }>(async (app, { metrics }) => {
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.observe({ method: request.method, route, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    request.log.debug({ req: request, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
});
