/** Shared pieces of the route files: the typed app, the identity hook, response schema maps. */
import type { FastifyBaseLogger, FastifyInstance, FastifyRequest, RawReplyDefaultExpression, RawRequestDefaultExpression, RawServerDefault } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { z } from 'zod';
import { ErrorEnvelopeSchema, successEnvelope } from '@contract/api';
import type { RouteDescriptor } from '@contract/routes';
import { bearerToken, type AuthService, type Identity } from '../services/auth.service';
import { unauthenticated } from '../services/errors';
import { ok } from './envelope';

export type ZodApp = FastifyInstance<RawServerDefault, RawRequestDefaultExpression, RawReplyDefaultExpression, FastifyBaseLogger, ZodTypeProvider>;

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
  }
}

/** preHandler that proves the bearer token (401 otherwise). */
function authenticate(auth: AuthService) {
  return async (request: FastifyRequest) => {
    request.identity = await auth.authenticate(bearerToken(request.headers.authorization));
  };
}

function identityOf(request: FastifyRequest): Identity {
  if (!request.identity) throw unauthenticated();
  return request.identity;
}

/** `{200: success envelope, 4xx: error envelope}` for the OpenAPI document and the serializer. */
export function responses<T extends z.ZodType>(data: T, ...errorStatuses: number[]) {
  const map: Record<number, z.ZodType> = { 200: successEnvelope(data) };
  for (const status of errorStatuses) map[status] = ErrorEnvelopeSchema;
  return map;
}

export const BEARER = [{ bearerAuth: [] }];

type SchemaPart<R, K extends 'params' | 'query' | 'body'> = R extends { readonly [key in K]: infer S extends z.ZodType } ? S : undefined;

/**
 * A route's Fastify schema from its contract descriptor (server/contract/routes.ts): the same
 * zod schemas validate the request, type the handler and feed the OpenAPI document.
 */
export function schemaOf<const R extends RouteDescriptor>(route: R) {
  const schema = {
    tags: [route.tag],
    summary: route.summary,
    ...(route.auth ? { security: BEARER } : {}),
    ...(route.params ? { params: route.params } : {}),
    ...(route.query ? { querystring: route.query } : {}),
    ...(route.body ? { body: route.body } : {}),
    response: responses(route.data, ...route.errors),
  };
  return schema as Omit<typeof schema, 'params' | 'querystring' | 'body'> & { params: SchemaPart<R, 'params'>; querystring: SchemaPart<R, 'query'>; body: SchemaPart<R, 'body'> };
}

/** Method, URL and schema of a route, for `app.route({...routeOf(ROUTES.x), handler})`. */
export function routeOf<const R extends RouteDescriptor>(route: R) {
  return { method: route.method, url: route.path, schema: schemaOf(route) };
}

type Parsed<R, K extends 'params' | 'query' | 'body'> = SchemaPart<R, K> extends z.ZodType ? z.output<SchemaPart<R, K>> : undefined;

/** What a signed-in route's handler gets besides the identity: the request, its parts as its schemas parsed them. */
export type RouteRequest<R> = Omit<FastifyRequest, 'params' | 'query' | 'body'> & {
  params: Parsed<R, 'params'>;
  query: Parsed<R, 'query'>;
  body: Parsed<R, 'body'>;
};

/**
 * A route for signed-in callers: the bearer token is proved first (401 otherwise), then `handle`
 * answers with the route's data in the success envelope.
 */
export function signedInRoute<const R extends RouteDescriptor>(app: ZodApp, auth: AuthService, route: R, handle: (identity: Identity, request: RouteRequest<R>) => Promise<z.output<R['data']>>): void {
  app.route({
    ...routeOf(route),
    preHandler: authenticate(auth),
    handler: async (request) => ok(await handle(identityOf(request), request as unknown as RouteRequest<R>)),
  });
}
