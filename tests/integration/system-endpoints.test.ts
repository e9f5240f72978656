import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createDemoSession, login } from '../helpers/api-client';
import { startTestServer, type TestServer } from '../helpers/test-server';

describe('health, metrics, OpenAPI', () => {
  let server: TestServer;
  const METRICS_TOKEN = 'metrics-token-for-the-scraper';
  beforeAll(async () => {
    server = await startTestServer({ env: { CLASSROOM_METRICS_TOKEN: METRICS_TOKEN } });
  });
  afterAll(() => server.close());

  it('reports health in the envelope', async () => {
    const health = await call(server.url, 'GET', '/api/health');
    expect(health.status).toBe(200);
    expect(health.data).toMatchObject({ status: 'ok', engine: 'p2p', store: 'json' });
  });

  it('reports the version of package.json, in health and in the OpenAPI document', async () => {
    const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect((await call(server.url, 'GET', '/api/health')).data.version).toBe(version);
    expect(((await (await fetch(`${server.url}/api/openapi.json`)).json()) as { info: { version: string } }).info.version).toBe(version);
  });

  it('exposes Prometheus metrics that move with the traffic', async () => {
    const read = async () => (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text();
    const before = await read();
    expect(before).toContain('# TYPE classroom_session_events_total counter');
    await createDemoSession(server.url, await login(server.url, 'mentor_001'));
    const after = await read();
    expect(after).toMatch(/classroom_session_events_total\{event="created"\} 1/);
    expect(after).toMatch(/classroom_store_write_duration_seconds_count \d+/);
    expect(after).toMatch(/classroom_http_request_duration_seconds_count\{method="POST",route="\/api\/mentor\/create-session",status="200"\} 1/);
  });

  it('serves an OpenAPI document generated from the shared schemas', async () => {
    const response = await fetch(`${server.url}/api/openapi.json`);
    const doc = (await response.json()) as any;
    expect(doc.openapi).toMatch(/^3\./);
    for (const route of ['/api/auth/login', '/api/mentor/create-session', '/api/mentor/notify-session-start', '/api/sessions/{sessionId}/join', '/api/sessions/{sessionId}/end', '/api/mentor/schedule', '/api/student/sessions', '/api/health']) {
      expect(Object.keys(doc.paths)).toContain(route);
    }
    const createBody = doc.paths['/api/mentor/create-session'].post.requestBody.content['application/json'].schema;
    expect(createBody.required).toEqual(expect.arrayContaining(['mentorId', 'studentId', 'slotId', 'sessionType']));
    const created = doc.paths['/api/mentor/create-session'].post.responses['200'].content['application/json'].schema;
    expect(Object.keys(created.properties.data.properties)).toEqual(['sessionId', 'roomId', 'token', 'appId', 'expiresAt']);
  });

  it('never serves the ZEGO secret anywhere', async () => {
    const secretServer = await startTestServer({ env: { ZEGO_APP_ID: '5', ZEGO_SERVER_SECRET: 'k'.repeat(16) + 'SECRETSECRETSEC!', CLASSROOM_METRICS_TOKEN: METRICS_TOKEN } });
    try {
      for (const path of ['/api/health', '/api/openapi.json', '/metrics']) {
        expect(await (await fetch(`${secretServer.url}${path}`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } })).text()).not.toContain('SECRETSECRETSEC!');
      }
    } finally {
      await secretServer.close();
    }
  });
});
