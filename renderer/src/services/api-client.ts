/**
 * REST client: parses the envelope, turns failures into ApiError with the server's code, and
 * retries idempotent calls (reads, join, end, create-session) on network errors and 5xx with
 * exponential backoff and jitter (seed 7.4).
 */
import type {
  CreateSessionData,
  CreateSessionRequest,
  DevicesData,
  EndSessionData,
  Envelope,
  HealthData,
  JoinSessionData,
  LoginData,
  MentorWeekData,
  RingData,
  PastSessionsData,
  SetPasswordRequest,
  StudentSessionsData,
  StudentUpcomingData,
} from '@contract/api';
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

interface RequestOptions {
  body?: unknown;
  /** Safe to repeat: retried on network errors and 5xx. */
  idempotent?: boolean;
  signal?: AbortSignal;
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

  private async send<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const attempts = options.idempotent ? RETRY_DELAYS_MS.length + 1 : 1;
    let lastError: unknown;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(RETRY_DELAYS_MS[attempt - 1]! * (0.75 + Math.random() * 0.5));
      try {
        return await this.sendOnce<T>(method, path, options);
      } catch (error) {
        lastError = error;
        const retryable = !(error instanceof ApiError) || error.status >= 500;
        if (!retryable || options.signal?.aborted) throw error;
      }
    }
    throw lastError;
  }

  private async sendOnce<T>(method: string, path: string, options: RequestOptions, renewed = false): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const token = renewed ? await this.tokens!.renew() : await this.tokens?.accessToken();
    if (renewed && !token) {
      this.onUnauthenticated();
      throw new ApiError(401, 'UNAUTHENTICATED', 'Your sign-in has ended: sign in again.');
    }
    if (token) headers.authorization = `Bearer ${token}`;
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers,
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
      signal: options.signal,
    });
    let envelope: Envelope<T> | undefined;
    try {
      envelope = (await response.json()) as Envelope<T>;
    } catch {
      throw new ApiError(response.status, 'INTERNAL_ERROR', `The server answered ${response.status} without a readable body.`);
    }
    if (envelope.success) return envelope.data;
    // The access token expired or was refused: renew the device sign-in once and try again.
    if (response.status === 401 && token && !renewed) return this.sendOnce<T>(method, path, options, true);
    if (response.status === 401 && renewed) this.onUnauthenticated();
    throw new ApiError(response.status, envelope.error.code, envelope.error.message, envelope.error.details);
  }

  login(userId: string, password: string) {
    return this.send<LoginData>('POST', '/api/auth/login', { body: { userId, password } });
  }
  logout() {
    return this.send<{ loggedOut: true }>('POST', '/api/auth/logout');
  }
  /** First sign-in with a one-time enrolment code: the code is spent on the chosen password. */
  setPassword(request: SetPasswordRequest) {
    return this.send<LoginData>('POST', '/api/auth/set-password', { body: request });
  }
  devices(signal?: AbortSignal) {
    return this.send<DevicesData>('GET', '/api/auth/devices', { idempotent: true, signal });
  }
  signOutDevice(deviceId: string) {
    return this.send<{ id: string; signedOut: true }>('DELETE', `/api/auth/devices/${encodeURIComponent(deviceId)}`);
  }
  health() {
    return this.send<HealthData>('GET', '/api/health', { idempotent: true });
  }
  mentorWeek(week?: string, signal?: AbortSignal) {
    return this.send<MentorWeekData>('GET', `/api/mentor/schedule${week ? `?week=${encodeURIComponent(week)}` : ''}`, { idempotent: true, signal });
  }
  pastSessions(query: { limit?: number; cursor?: string }, signal?: AbortSignal) {
    const params = new URLSearchParams();
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    if (query.cursor !== undefined) params.set('cursor', query.cursor);
    const search = params.toString();
    return this.send<PastSessionsData>('GET', `/api/mentor/past-sessions${search ? `?${search}` : ''}`, { idempotent: true, signal });
  }
  studentSessions(signal?: AbortSignal) {
    return this.send<StudentSessionsData>('GET', '/api/student/sessions', { idempotent: true, signal });
  }
  /** Idempotent on the server (one session per live slot), so a lost reply is safely retried. */
  createSession(request: CreateSessionRequest) {
    return this.send<CreateSessionData>('POST', '/api/mentor/create-session', { body: request, idempotent: true });
  }
  joinSession(sessionId: string) {
    return this.send<JoinSessionData>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/join`, { idempotent: true });
  }
  /** Declining twice is harmless (the answer is replaced), so a lost reply is retried. */
  declineRing(sessionId: string, reason: string | null) {
    return this.send<RingData>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/decline`, { body: reason ? { reason } : {}, idempotent: true });
  }
  /** Idempotent while the new ring rings. */
  ringAgain(sessionId: string) {
    return this.send<RingData>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/ring`, { idempotent: true });
  }
  studentUpcoming(signal?: AbortSignal) {
    return this.send<StudentUpcomingData>('GET', '/api/student/upcoming', { idempotent: true, signal });
  }
  endSession(sessionId: string) {
    return this.send<EndSessionData>('POST', `/api/sessions/${encodeURIComponent(sessionId)}/end`, { idempotent: true });
  }
}
