/**
 * The live connection to the server: session notifications (acknowledged after they are handed to
 * the app), session end, delivery state for mentors, and the built-in engine's signalling.
 * Socket.IO reconnects by itself with capped exponential backoff and jitter.
 */
import { io, type Socket } from 'socket.io-client';
import type { RingStatus, SessionNotification } from '@contract/api';
import type { DeliveryState } from '@contract/domain';
import type {
  CallJoinResult,
  CallPeekResult,
  ChatMessage,
  ChatSendResult,
  ClientToServerEvents,
  RtcJoinResult,
  RtcPeer,
  RtcSignalData,
  ServerToClientEvents,
} from '@contract/socket-events';
import type { TokenSource } from './auth-storage';

export type RealtimeState = 'connecting' | 'online' | 'offline' | 'unauthenticated';

type Listener<T> = (value: T) => void;

class Emitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  on(listener: Listener<T>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
  emit(value: T): void {
    for (const listener of [...this.listeners]) listener(value);
  }
}

export interface RealtimeConnection {
  readonly state: RealtimeState;
  onState(listener: Listener<RealtimeState>): () => void;
  onSessionNotification(listener: Listener<SessionNotification>): () => void;
  onSessionEnded(listener: Listener<{ sessionId: string }>): () => void;
  onDeliveryState(listener: Listener<{ sessionId: string; deliveryState: DeliveryState }>): () => void;
  /** Fires on every (re)connect after the first: rooms must be joined again. */
  onReconnected(listener: Listener<void>): () => void;
  rtcJoin(roomId: string, token: string): Promise<RtcJoinResult>;
  rtcSignal(roomId: string, data: RtcSignalData): void;
  rtcLeave(roomId: string): void;
  onPeerJoined(listener: Listener<{ roomId: string; peer: RtcPeer }>): () => void;
  onPeerLeft(listener: Listener<{ roomId: string; userId: string }>): () => void;
  onSignal(listener: Listener<{ roomId: string; from: RtcPeer; data: RtcSignalData }>): () => void;
  onRingState(listener: Listener<{ sessionId: string; ring: RingStatus }>): () => void;
  onPresence(listener: Listener<{ userId: string; online: boolean }>): () => void;
  /** The call layer (any media engine): enter, look in, leave; one window per person. */
  callJoin(sessionId: string): Promise<CallJoinResult>;
  callPeek(sessionId: string): Promise<CallPeekResult>;
  callLeave(sessionId: string): void;
  chatSend(sessionId: string, text: string): Promise<ChatSendResult>;
  onCallParticipants(listener: Listener<{ sessionId: string; participants: RtcPeer[] }>): () => void;
  onCallTakenOver(listener: Listener<{ sessionId: string }>): () => void;
  onChatMessage(listener: Listener<ChatMessage>): () => void;
  close(): void;
}

/**
 * The handshake asks `tokens` for the access token on every (re)connect. The server refusing it, or
 * ending the socket when the token expires, renews the device sign-in once and connects again.
 */
export function connectRealtime(baseUrl: string, tokens: TokenSource): RealtimeConnection {
  const socket: Socket<ServerToClientEvents, ClientToServerEvents> = io(baseUrl || undefined, {
    auth: (callback) => void tokens.accessToken().then((token) => callback({ token })),
    transports: ['websocket', 'polling'],
    reconnectionDelay: 500,
    reconnectionDelayMax: 10_000,
    randomizationFactor: 0.5,
  });
  let state: RealtimeState = 'connecting';
  let connectedOnce = false;
  const stateEvents = new Emitter<RealtimeState>();
  const notifications = new Emitter<SessionNotification>();
  const ended = new Emitter<{ sessionId: string }>();
  const delivery = new Emitter<{ sessionId: string; deliveryState: DeliveryState }>();
  const reconnected = new Emitter<void>();
  const peerJoined = new Emitter<{ roomId: string; peer: RtcPeer }>();
  const peerLeft = new Emitter<{ roomId: string; userId: string }>();
  const signals = new Emitter<{ roomId: string; from: RtcPeer; data: RtcSignalData }>();
  const ringStates = new Emitter<{ sessionId: string; ring: RingStatus }>();
  const presence = new Emitter<{ userId: string; online: boolean }>();
  const callParticipants = new Emitter<{ sessionId: string; participants: RtcPeer[] }>();
  const takenOver = new Emitter<{ sessionId: string }>();
  const chat = new Emitter<ChatMessage>();
  const noAnswer = { ok: false as const, code: 'SESSION_NOT_LIVE' as const, message: 'The server did not answer.' };
  /** An acknowledged request with a deadline: a lost reply is an answer too. */
  const ask = <R>(emit: (ack: (error: Error | null, result: R) => void) => void) =>
    new Promise<R | typeof noAnswer>((resolve) => emit((error, result) => resolve(error ? noAnswer : result)));
  const setState = (next: RealtimeState) => {
    state = next;
    stateEvents.emit(next);
  };

  socket.on('connect', () => {
    setState('online');
    if (connectedOnce) reconnected.emit();
    connectedOnce = true;
  });
  const renewAndReconnect = () =>
    void tokens.renew().then((token) => {
      if (token) socket.connect();
      else setState('unauthenticated');
    });
  socket.on('disconnect', (reason) => {
    setState('offline');
    // The server ends a socket when its access token expires (or the device is signed out).
    if (reason === 'io server disconnect') renewAndReconnect();
  });
  socket.on('connect_error', (error) => {
    const code = (error as Error & { data?: { code?: string } }).data?.code;
    if (code === 'UNAUTHENTICATED') {
      socket.disconnect();
      renewAndReconnect();
    } else setState('offline');
  });
  socket.on('session_notification', (payload, ack) => {
    notifications.emit(payload);
    // Acknowledged once the app has it; showing it once per sessionId is the app's job.
    if (typeof ack === 'function') ack({ received: true });
  });
  socket.on('session_ended', (payload) => ended.emit(payload));
  socket.on('session_delivery_state', (payload) => delivery.emit(payload));
  socket.on('rtc_peer_joined', (payload) => peerJoined.emit(payload));
  socket.on('rtc_peer_left', (payload) => peerLeft.emit(payload));
  socket.on('rtc_signal', (payload) => signals.emit(payload));
  socket.on('ring_state', (payload) => ringStates.emit(payload));
  socket.on('presence', (payload) => presence.emit(payload));
  socket.on('call_participants', (payload) => callParticipants.emit(payload));
  socket.on('call_taken_over', (payload) => takenOver.emit(payload));
  socket.on('chat_message', (payload) => chat.emit(payload));

  return {
    get state() {
      return state;
    },
    onState: (l) => stateEvents.on(l),
    onSessionNotification: (l) => notifications.on(l),
    onSessionEnded: (l) => ended.on(l),
    onDeliveryState: (l) => delivery.on(l),
    onReconnected: (l) => reconnected.on(l),
    rtcJoin: (roomId, token) =>
      new Promise((resolve) => {
        socket.timeout(10_000).emit('rtc_join', { roomId, token }, (error: Error | null, result: RtcJoinResult) =>
          resolve(error ? { ok: false, code: 'SESSION_NOT_LIVE', message: 'The server did not answer.' } : result),
        );
      }),
    rtcSignal: (roomId, data) => void socket.emit('rtc_signal', { roomId, data }),
    rtcLeave: (roomId) => void socket.emit('rtc_leave', { roomId }),
    onPeerJoined: (l) => peerJoined.on(l),
    onPeerLeft: (l) => peerLeft.on(l),
    onSignal: (l) => signals.on(l),
    onRingState: (l) => ringStates.on(l),
    onPresence: (l) => presence.on(l),
    callJoin: (sessionId) => ask<CallJoinResult>((ack) => socket.timeout(10_000).emit('call_join', { sessionId }, ack)),
    callPeek: (sessionId) => ask<CallPeekResult>((ack) => socket.timeout(10_000).emit('call_peek', { sessionId }, ack)),
    callLeave: (sessionId) => void socket.emit('call_leave', { sessionId }),
    chatSend: (sessionId, text) => ask<ChatSendResult>((ack) => socket.timeout(10_000).emit('chat_send', { sessionId, text }, ack)),
    onCallParticipants: (l) => callParticipants.on(l),
    onCallTakenOver: (l) => takenOver.on(l),
    onChatMessage: (l) => chat.on(l),
    close: () => socket.close(),
  };
}
