/** The OpenAPI document, generated from the same zod schemas that validate the routes. */
import fastifySwagger from '@fastify/swagger';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export const openApi = fp<{ version: string }>(async (app, { version }) => {
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'Classroom API', version, description: 'Sessions, room tokens and schedules for live 1:1 mentoring.' },
      components: { securitySchemes: { bearerAuth: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
});
