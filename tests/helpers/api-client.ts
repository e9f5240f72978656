/** A small HTTP client for tests: status + parsed envelope, nothing hidden. */
import { io, type Socket } from 'socket.io-client';
import type { ServerToClientEvents, ClientToServerEvents } from '@contract/socket-events';

export interface ApiResponse<T = any> {
  status: number;
  /** The envelope as received (loosely typed: tests look at refusals and successes alike). */
  body: { success: boolean; data?: T; error?: { code: string; message: string; details?: unknown } };
  data: T;
  headers: Headers;
}

export async function call<T = any>(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> } = {},
): Promise<ApiResponse<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  let payload: string | undefined;
  if (options.rawBody !== undefined) payload = options.rawBody;
  else if (options.body !== undefined) payload = JSON.stringify(options.body);
  if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json';
  const response = await fetch(`${baseUrl}${path}`, { method, headers, body: payload });
  const text = await response.text();
  const body = text ? JSON.parse(text) : undefined;
  return { status: response.status, body, data: body?.data, headers: response.headers };
}

export async function login(baseUrl: string, userId: string, password = 'demo'): Promise<string> {
  const response = await call(baseUrl, 'POST', '/api/auth/login', { body: { userId, password } });
  if (response.status !== 200) throw new Error(`login ${userId} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.data.accessToken as string;
}

export const DEMO_BOOKING = { mentorId: 'mentor_001', studentId: 'L001', slotId: 'mon-09-10', sessionType: 'Speaking Practice' };

export async function createDemoSession(baseUrl: string, mentorToken: string, body = DEMO_BOOKING) {
  const response = await call(baseUrl, 'POST', '/api/mentor/create-session', { token: mentorToken, body });
  if (response.status !== 200) throw new Error(`create-session failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.data as { sessionId: string; roomId: string; token: string; appId: number; expiresAt: string };
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

/**
 * Connects with the access token; resolves once connected, rejects with the server's refusal.
 * `setup` registers listeners before the connection opens, as a real app does (replays arrive at once).
 */
export function connectSocket(baseUrl: string, accessToken: string | undefined, setup?: (socket: ClientSocket) => void): Promise<ClientSocket> {
  const socket: ClientSocket = io(baseUrl, {
    auth: accessToken === undefined ? {} : { token: accessToken },
    transports: ['websocket'],
    reconnection: false,
    forceNew: true,
    autoConnect: false,
  });
  setup?.(socket);
  socket.connect();
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
}

/** Resolves with the next event's payload, or rejects after `ms`. */
export function nextEvent<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E, ms = 5000): Promise<Parameters<ServerToClientEvents[E]>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, handler as never);
      reject(new Error(`no ${String(event)} within ${ms} ms`));
    }, ms);
    const handler = (...args: unknown[]) => {
      clearTimeout(timer);
      socket.off(event, handler as never);
      resolve(args as Parameters<ServerToClientEvents[E]>);
    };
    socket.on(event, handler as never);
  });
}

/** Collects every delivery of an event. */
export function collect<E extends keyof ServerToClientEvents>(socket: ClientSocket, event: E, ack = true) {
  const received: Array<Parameters<ServerToClientEvents[E]>[0]> = [];
  socket.on(event, ((payload: never, callback?: (receipt: { received: true }) => void) => {
    received.push(payload);
    if (ack && typeof callback === 'function') callback({ received: true });
  }) as never);
  return received;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until the check passes or the time is up. */
export async function eventually(check: () => boolean | Promise<boolean>, ms = 5000, message = 'condition not met'): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error(message);
}
