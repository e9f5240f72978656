/** Response headers every page and API reply carries; pages also get the CSP and may not be framed. */
import fp from 'fastify-plugin';
import { contentSecurityPolicy } from '@contract/csp';

export const securityHeaders = fp<{ zego: boolean }>(async (app, { zego }) => {
  const csp = contentSecurityPolicy(null, zego);
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', csp);
      reply.header('x-frame-options', 'DENY');
    }
    return payload;
  });
});
