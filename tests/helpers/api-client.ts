/**
 * The tests' side of the REST API: the contract's own client (server/contract/rest-client.ts) with
 * status and envelope in view. `call` sends anything (tests of refusals and hostile input use raw
 * methods, paths and bodies); `callRoute` calls a route of the table with typed input and data.
 */
import { io, type Socket } from 'socket.io-client';
import { sendRequest, sendRoute } from '@contract/rest-client';
import type { RouteName } from '@contract/route-table';
import type { RouteData, RouteInput } from '@contract/routes';
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
  const { status, headers, envelope } = await sendRequest<T>(baseUrl, { method, path, ...options });
  const body = envelope as ApiResponse<T>['body'];
  return { status, body, data: body?.data as T, headers };
}

/** A route of the contract's table, with its typed input; `data` is typed by the route. */
export async function callRoute<N extends RouteName>(baseUrl: string, name: N, input: RouteInput<N>, token?: string): Promise<ApiResponse<RouteData<N>>> {
  const { status, headers, envelope } = await sendRoute(baseUrl, name, input, { token });
  const body = envelope as ApiResponse<RouteData<N>>['body'];
  return { status, body, data: body?.data as RouteData<N>, headers };
}

export async function login(baseUrl: string, userId: string, password = 'demo'): Promise<string> {
  const response = await callRoute(baseUrl, 'login', { body: { userId, password } });
  if (response.status !== 200) throw new Error(`login ${userId} failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.data.accessToken;
}

export const DEMO_BOOKING = { mentorId: 'mentor_001', studentId: 'L001', slotId: 'mon-09-10', sessionType: 'Speaking Practice' };

export async function createDemoSession(baseUrl: string, mentorToken: string, body = DEMO_BOOKING) {
  const response = await callRoute(baseUrl, 'createSession', { body }, mentorToken);
  if (response.status !== 200) throw new Error(`create-session failed: ${response.status} ${JSON.stringify(response.body)}`);
  return response.data;
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
