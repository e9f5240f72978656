/**
 * One route table for the server and every client: the real server registers exactly the routes
 * of server/contract/route-table.ts (read back from its OpenAPI document, which Fastify builds from
 * what was registered), each with its method, path parameters, bearer security and error statuses;
 * and the shared client builds each route's request from the same table.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routePath, sendRoute } from '@contract/rest-client';
import { ROUTE_TABLE, type RouteName } from '@contract/route-table';
import { ROUTES } from '@contract/routes';
import { callRoute, createDemoSession, login } from '../helpers/api-client';
import { startTestServer, type TestServer } from '../helpers/test-server';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

interface Operation {
  security?: unknown[];
  responses: Record<string, unknown>;
  parameters?: Array<{ in: string; name: string }>;
}

const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

describe('the route table', () => {
  it('is what the server registers: every envelope route, with its method, parameters, security and statuses', async () => {
    const doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, Operation>> };
    const served = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`))
      .filter((route) => !route.endsWith(' /metrics') && !route.endsWith(' /api/openapi.json'))
      .sort();
    const listed = Object.values(ROUTE_TABLE)
      .map((route) => `${route.method} ${openApiPath(route.path)}`)
      .sort();
    expect(served).toEqual(listed);

    for (const name of Object.keys(ROUTES) as RouteName[]) {
      const route = ROUTES[name];
      const operation = doc.paths[openApiPath(route.path)]![route.method.toLowerCase()]!;
      expect(Boolean(operation.security?.length), `${name} security`).toBe(route.auth);
      expect(Object.keys(operation.responses).sort(), `${name} statuses`).toEqual(['200', ...route.errors.map(String)].sort());
      const pathParameters = (operation.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name);
      expect(pathParameters, `${name} path parameters`).toEqual([...route.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]));
    }
  });

  it('builds requests from the table: parameters encoded, undefined query values left out, a missing parameter refused', () => {
    expect(routePath(ROUTE_TABLE.joinSession, { params: { sessionId: 'session_a/b?c' } })).toBe('/api/sessions/session_a%2Fb%3Fc/join');
    expect(routePath(ROUTE_TABLE.pastSessions, { query: { limit: 5, cursor: undefined } })).toBe('/api/mentor/past-sessions?limit=5');
    expect(routePath(ROUTE_TABLE.mentorSchedule, { query: { week: undefined } })).toBe('/api/mentor/schedule');
    expect(() => routePath(ROUTE_TABLE.endSession, {})).toThrow(/path parameter "sessionId" is missing/);
  });

  it('the shared client reaches the routes it names, with typed data', async () => {
    const mentor = await login(server.url, 'mentor_001');
    const created = await createDemoSession(server.url, mentor);
    const joined = await callRoute(server.url, 'joinSession', { params: { sessionId: created.sessionId } }, mentor);
    expect(joined.status).toBe(200);
    expect(joined.data).toMatchObject({ sessionId: created.sessionId, role: 'mentor' });
    const week = await sendRoute(server.url, 'mentorSchedule', { query: { week: '2026-11-23' } }, { token: mentor });
    expect(week.envelope).toMatchObject({ success: true, data: { weekStart: '2026-11-23' } });
    const refused = await sendRoute(server.url, 'endSession', { params: { sessionId: created.sessionId } });
    expect(refused).toMatchObject({ status: 401, envelope: { success: false, error: { code: 'UNAUTHENTICATED' } } });
  });
});
