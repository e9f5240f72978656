/**
 * The one way to call the REST API, shared by every client (renderer, tests, benchmarks): the
 * request is built from the route table (./route-table.ts), typed by the route's schemas
 * (./routes.ts, types only: no zod in a client bundle), and the answer read as an envelope.
 * It only uses `fetch`, which browsers and Node both provide; what a client does with a failure
 * (retry, sign out, throw) stays with that client.
 */
import type { Envelope } from './api';
import { ROUTE_TABLE, type RouteEndpoint, type RouteName } from './route-table';
import type { RouteData, RouteInput } from './routes';

export interface RequestOptions {
  /** The bearer access token; omitted when null or undefined. */
  token?: string | null;
  signal?: AbortSignal;
  /** Another fetch (the Electron main process passes its `net.fetch`). */
  fetch?: typeof fetch;
}

export interface RawRequest extends RequestOptions {
  method: string;
  /** Path and query, e.g. `/api/mentor/schedule?week=2026-11-23`. */
  path: string;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is (tests of hostile input); wins over `body`. */
  rawBody?: string;
  headers?: Record<string, string>;
}

export interface RestResponse<T> {
  status: number;
  headers: Headers;
  /** The envelope as received; undefined when the body was empty or not JSON. */
  envelope: Envelope<T> | undefined;
}

/** Fills `:name` segments from `params` (encoded) and appends the query's defined values. */
export function routePath(route: RouteEndpoint, input: { params?: Record<string, unknown>; query?: Record<string, unknown> } = {}): string {
  const path = route.path.replace(/:([A-Za-z]+)/g, (_segment, name: string) => {
    const value = input.params?.[name];
    if (value === undefined || value === null) throw new Error(`${route.method} ${route.path}: path parameter "${name}" is missing`);
    return encodeURIComponent(String(value));
  });
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(input.query ?? {})) if (value !== undefined && value !== null) query.set(key, String(value));
  const search = query.toString();
  return search ? `${path}?${search}` : path;
}

/** One HTTP exchange with the API: JSON in, the envelope (if any) out. */
export async function sendRequest<T = unknown>(baseUrl: string, request: RawRequest): Promise<RestResponse<T>> {
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  if (request.token) headers.authorization = `Bearer ${request.token}`;
  const body = request.rawBody ?? (request.body === undefined ? undefined : JSON.stringify(request.body));
  if (body !== undefined && !Object.keys(headers).some((name) => name.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const response = await (request.fetch ?? fetch)(`${baseUrl.replace(/\/$/, '')}${request.path}`, { method: request.method, headers, body, signal: request.signal });
  const text = await response.text();
  let envelope: Envelope<T> | undefined;
  try {
    envelope = text ? (JSON.parse(text) as Envelope<T>) : undefined;
  } catch {
    envelope = undefined;
  }
  return { status: response.status, headers: response.headers, envelope };
}

/** Calls a route by its name in the route table, with its typed input; the answer's data is typed by the route. */
export function sendRoute<N extends RouteName>(baseUrl: string, name: N, input: RouteInput<N>, options: RequestOptions = {}): Promise<RestResponse<RouteData<N>>> {
  const route = ROUTE_TABLE[name];
  const { params, query, body } = input as { params?: Record<string, unknown>; query?: Record<string, unknown>; body?: unknown };
  return sendRequest<RouteData<N>>(baseUrl, { ...options, method: route.method, path: routePath(route, { params, query }), body });
}
