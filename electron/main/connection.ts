/**
 * The desktop app's live line to the server, kept in the main process so the app rings with every
 * window closed. It signs the socket in with the stored access token, reconnects with capped
 * exponential backoff and jitter, acknowledges every `session_notification`, passes each ring
 * (a session's attempt) on once however often the server re-delivers it, and reports its state.
 */
import { io, type Socket } from 'socket.io-client';
import type { RingStatus, SessionNotification } from '@contract/api';
import type { ConnectionState } from '@contract/ipc';
import type { ClientToServerEvents, ServerToClientEvents } from '@contract/socket-events';

export interface MainConnectionEvents {
  onState(state: ConnectionState): void;
  /** Once per sessionId. */
  onNotification(notification: SessionNotification): void;
  onSessionEnded(sessionId: string): void;
  /** The ring was answered (here or elsewhere), missed, or rung again. */
  onRingState?(sessionId: string, ring: RingStatus): void;
}

export interface BackoffOptions {
  initialDelayMs: number;
  maxDelayMs: number;
  /** 0.5 → each delay is randomised ±50 %, so a school's apps do not reconnect in lockstep. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { initialDelayMs: 1000, maxDelayMs: 30_000, jitter: 0.5 };
const REMEMBERED_SESSIONS = 500;

export class MainConnection {
  private socket: Socket<ServerToClientEvents, ClientToServerEvents> | null = null;
  private current: ConnectionState = 'signed-out';
  private readonly seen = new Set<string>();

  constructor(
    private readonly events: MainConnectionEvents,
    private readonly backoff: BackoffOptions = DEFAULT_BACKOFF,
  ) {}

  get state(): ConnectionState {
    return this.current;
  }

  private setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    this.events.onState(state);
  }

  /** Connects (or reconnects with new credentials). */
  start(serverUrl: string, accessToken: string): void {
    this.stop();
    this.setState('connecting');
    const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(serverUrl, {
      auth: { token: accessToken },
      transports: ['websocket'],
      reconnection: true,
      reconnectionDelay: this.backoff.initialDelayMs,
      reconnectionDelayMax: this.backoff.maxDelayMs,
      randomizationFactor: this.backoff.jitter,
      forceNew: true,
    });
    this.socket = socket;

    socket.on('connect', () => this.setState('online'));
    socket.on('disconnect', (reason) => {
      if (this.socket !== socket) return;
      this.setState('offline');
      // A server-side disconnect does not auto-reconnect; try once — a revoked sign-in then
      // surfaces as 'unauthenticated' from the handshake.
      if (reason === 'io server disconnect') socket.connect();
    });
    socket.on('connect_error', (error) => {
      if (this.socket !== socket) return;
      const code = (error as Error & { data?: { code?: string } }).data?.code;
      if (code === 'UNAUTHENTICATED') {
        socket.close();
        this.setState('unauthenticated');
      } else this.setState('offline');
    });
    socket.on('session_notification', (payload, ack) => {
      // Always acknowledge (the server's outbox needs it); show each session once.
      if (typeof ack === 'function') ack({ received: true });
      // Once per ring: "Ring again" is a new attempt of the same session, and rings anew.
      const ringKey = `${payload.sessionId}#${payload.ring?.attempt ?? 1}`;
      if (this.seen.has(ringKey)) return;
      this.remember(ringKey);
      this.events.onNotification(payload);
    });
    socket.on('session_ended', ({ sessionId }) => this.events.onSessionEnded(sessionId));
    socket.on('ring_state', ({ sessionId, ring }) => this.events.onRingState?.(sessionId, ring));
  }

  /** A renewed access token for the next handshakes; false when there is no live socket to keep. */
  updateAccessToken(accessToken: string): boolean {
    if (!this.socket || this.current === 'unauthenticated' || this.current === 'signed-out') return false;
    this.socket.auth = { token: accessToken };
    return true;
  }

  private remember(ringKey: string): void {
    this.seen.add(ringKey);
    if (this.seen.size > REMEMBERED_SESSIONS) this.seen.delete(this.seen.values().next().value!);
  }

  stop(): void {
    const socket = this.socket;
    this.socket = null;
    socket?.removeAllListeners();
    socket?.close();
    this.setState('signed-out');
  }
}
