/**
 * One interface for both media engines (built-in peer-to-peer WebRTC, ZEGOCLOUD): the meeting page
 * never knows which one it drives.
 */
import type { JoinSessionData } from '@contract/api';
import type { StatsSample } from './quality';

export type MeetingConnectionState = 'connecting' | 'waiting' | 'connected' | 'reconnecting' | 'failed';

export interface RemoteMediaState {
  audioMuted: boolean;
  cameraOff: boolean;
}

export interface MeetingEngineEvents {
  onConnectionState(state: MeetingConnectionState, reason?: string): void;
  /** The other participant's stream appeared (or disappeared: null). */
  onRemoteStream(stream: MediaStream | null): void;
  onRemoteMediaState(state: RemoteMediaState): void;
  /** Screen sharing stopped from outside the app (the browser's own "Stop sharing"). */
  onScreenShareEnded(): void;
}

export interface MeetingEngine {
  /** Enters the room and publishes `localStream` (camera + microphone). */
  join(localStream: MediaStream): Promise<void>;
  setMicrophoneMuted(muted: boolean): void;
  setCameraOff(off: boolean): void;
  startScreenShare(): Promise<void>;
  stopScreenShare(): Promise<void>;
  leave(): Promise<void>;
  /** Statistics for the connection-quality indicator (engines without them leave it unknown). */
  sampleStats?(): Promise<StatsSample | null>;
}

/** What an engine needs to start: the join endpoint's answer, and a way to get a fresh token. */
export interface EngineContext {
  join: JoinSessionData;
  renewToken(): Promise<string>;
  events: MeetingEngineEvents;
}
