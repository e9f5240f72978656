/**
 * What a browser may do here: answer only to our own Host names (against DNS rebinding), and allow
 * cross-origin calls only from the configured origins (the desktop renderer's classroom-app://app).
 */
import fastifyCors from '@fastify/cors';
import fp from 'fastify-plugin';
import { failure } from '../envelope';

export interface BrowserBoundaryOptions {
  allowedOrigins: string[];
  hostAllowed: (hostHeader: string | undefined) => boolean;
}

export const browserBoundary = fp<BrowserBoundaryOptions>(async (app, { allowedOrigins, hostAllowed }) => {
  app.addHook('onRequest', async (request, reply) => {
    if (!hostAllowed(request.headers.host)) {
      return reply.code(421).send(failure('HOST_NOT_ALLOWED', 'This server does not answer to that host name.'));
    }
  });
  await app.register(fastifyCors, { origin: allowedOrigins, methods: ['GET', 'POST', 'DELETE'], allowedHeaders: ['authorization', 'content-type'], maxAge: 600 });
});
