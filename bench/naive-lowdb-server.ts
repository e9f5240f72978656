/**
 * The naive peer for the store benchmark: what a quick lowdb setup looks like — one JSON file
 * holding every session, rewritten whole (lowdb's JSONFile, no fsync) on every request.
 * POST /create adds a session; GET /health answers when ready.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { JSONFile } from 'lowdb/node';
import { Low } from 'lowdb';

interface Data {
  sessions: Array<Record<string, unknown>>;
}

const dir = process.env.NAIVE_DIR!;
const prefill = Number(process.env.NAIVE_PREFILL ?? 0);
const session = (i: number) => ({
  id: `session_${randomBytes(12).toString('base64url')}`,
  room_id: `room_${randomBytes(12).toString('base64url')}`,
  mentor_id: 'mentor_bench',
  student_id: `B${i}`,
  slot_id: 'mon-09-10',
  session_type: 'Bench',
  status: 'ended',
  created_at: new Date().toISOString(),
  started_at: null,
  ended_at: new Date().toISOString(),
  expires_at: new Date().toISOString(),
  end_reason: 'ended_by_mentor',
  mentor_joined_at: null,
  student_joined_at: null,
});

async function main() {
  const db = new Low<Data>(new JSONFile(path.join(dir, 'naive.json')), { sessions: [] });
  await db.read();
  for (let i = 0; i < prefill; i++) db.data.sessions.push(session(i));
  await db.write();
  const server = http.createServer(async (request, response) => {
    if (request.url === '/health') return void response.end('ok');
    if (request.method === 'POST' && request.url === '/create') {
      const created = { ...session(db.data.sessions.length), status: 'created' };
      db.data.sessions.push(created);
      await db.write(); // the whole file, every request
      response.setHeader('content-type', 'application/json');
      return void response.end(JSON.stringify({ success: true, data: { sessionId: created.id } }));
    }
    response.statusCode = 404;
    response.end();
  });
  server.listen(0, '127.0.0.1', () => process.send!({ type: 'ready', port: (server.address() as { port: number }).port }));
}
void main();
