/**
 * REST client: calls the contract's routes (server/contract/route-table.ts) through the shared
 * `sendRoute`, turns failures into ApiError with the server's code, renews the device sign-in once
 * on a refused access token, and retries the routes marked idempotent (reads, join, end,
 * create-session) on network errors and 5xx with exponential backoff and jitter.
 */
import type { CreateSessionRequest, SetPasswordRequest } from '@contract/api';
import { sendRoute } from '@contract/rest-client';
import { ROUTE_TABLE, type RouteName } from '@contract/route-table';
import type { RouteData, RouteInput } from '@contract/routes';
import type { TokenSource } from './auth-storage';

export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The envelope's `details` (e.g. which field a validation refusal names). */
    readonly details?: unknown,
  ) {
    super(message);
  }
}

const RETRY_DELAYS_MS = [300, 1000, 2500];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class ApiClient {
  constructor(
    private readonly baseUrl: string,
    /** null: calls without a sign-in (login). */
    private readonly tokens: TokenSource | null,
    private readonly onUnauthenticated: () => void = () => undefined,
  ) {}

  /** Calls a route; retried with backoff when the route is idempotent and the failure is not the server's answer. */
  async call<N extends RouteName>(name: N, input: RouteInput<N>, signal?: AbortSignal): Promise<RouteData<N>> {
    const attempts = ROUTE_TABLE[name].idempotent ? RETRY_DELAYS_MS.length + 1 : 1;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]! * (0.75 + Math.random() * 0.5));
      try {
        return await this.callOnce(name, input, signal);
      } catch (error) {
        lastError = error;
        const retryable = !(error instanceof ApiError) || error.status >= 500;
        if (!retryable || signal?.aborted) throw error;
      }
    }
    throw lastError;
  }

  private async callOnce<N extends RouteName>(name: N, input: RouteInput<N>, signal?: AbortSignal, renewed = false): Promise<RouteData<N>> {
    const token = renewed ? await this.tokens!.renew() : await this.tokens?.accessToken();
    if (renewed && !token) {
      this.onUnauthenticated();
      throw new ApiError(401, 'UNAUTHENTICATED', 'Your sign-in has ended: sign in again.');
    }
    const { status, envelope } = await sendRoute(this.baseUrl, name, input, { token, signal });
    if (!envelope) throw new ApiError(status, 'INTERNAL_ERROR', `The server answered ${status} without a readable body.`);
    if (envelope.success) return envelope.data;
    // The access token expired or was refused: renew the device sign-in once and try again.
    if (status === 401 && token && !renewed) return this.callOnce(name, input, signal, true);
    if (status === 401 && renewed) this.onUnauthenticated();
    throw new ApiError(status, envelope.error.code, envelope.error.message, envelope.error.details);
  }

  login(userId: string, password: string) {
    return this.call('login', { body: { userId, password } });
  }
  logout() {
    return this.call('logout', {});
  }
  /** First sign-in with a one-time enrolment code: the code is spent on the chosen password. */
  setPassword(request: SetPasswordRequest) {
    return this.call('setPassword', { body: request });
  }
  devices(signal?: AbortSignal) {
    return this.call('devices', {}, signal);
  }
  signOutDevice(deviceId: string) {
    return this.call('signOutDevice', { params: { id: deviceId } });
  }
  health() {
    return this.call('health', {});
  }
  mentorWeek(week?: string, signal?: AbortSignal) {
    return this.call('mentorSchedule', { query: { week } }, signal);
  }
  pastSessions(query: { limit?: number; cursor?: string }, signal?: AbortSignal) {
    return this.call('pastSessions', { query }, signal);
  }
  studentSessions(signal?: AbortSignal) {
    return this.call('studentSessions', {}, signal);
  }
  /** Idempotent on the server (one session per live slot), so a lost reply is safely retried. */
  createSession(request: CreateSessionRequest) {
    return this.call('createSession', { body: request });
  }
  joinSession(sessionId: string) {
    return this.call('joinSession', { params: { sessionId } });
  }
  /** Declining twice is harmless (the answer is replaced), so a lost reply is retried. */
  declineRing(sessionId: string, reason: string | null) {
    return this.call('declineRing', { params: { sessionId }, body: reason ? { reason } : {} });
  }
  /** Idempotent while the new ring rings. */
  ringAgain(sessionId: string) {
    return this.call('ringAgain', { params: { sessionId } });
  }
  studentUpcoming(signal?: AbortSignal) {
    return this.call('studentUpcoming', {}, signal);
  }
  endSession(sessionId: string) {
    return this.call('endSession', { params: { sessionId } });
  }
}
