/**
 * JSON bodies only: a text/plain body is refused with 415 rather than parsed as a string. An empty
 * body with a JSON content type is "no body" (clients POST to join/end that way); everything else
 * goes through Fastify's prototype-poisoning-safe parser.
 */
import fp from 'fastify-plugin';

export const jsonBody = fp(async (app) => {
  const defaultJsonParser = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser(['application/json', 'text/plain']);
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    defaultJsonParser(request, text, done);
  });
});
