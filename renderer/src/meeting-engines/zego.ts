/**
 * The ZEGOCLOUD engine. The SDK (~600 KB gzipped) is imported only here, and this module is only
 * reached from the lazily loaded meeting route. Offline, `loginRoom` never settles, so we give it
 * our own deadline; token errors become sentences a user can act on; remote logging is off.
 *
 * Each participant publishes a camera stream `<room>_<user>` and, while sharing, a screen stream
 * `<room>_<user>_screen`; the other side shows the screen while there is one, else the camera, and
 * learns the camera's and microphone's state from ZEGO's remote status events.
 */
import { logFailure } from '../app/log';
import type { EngineContext, MeetingEngine, RemoteMediaState } from './types';

type ZegoSdk = typeof import('zego-express-engine-webrtc');
type ZegoEngineInstance = InstanceType<ZegoSdk['ZegoExpressEngine']>;
type ZegoLocalStream = Awaited<ReturnType<ZegoEngineInstance['createZegoStream']>>;

export const ZEGO_LOGIN_TIMEOUT_MS = 15_000;

/** ZEGO's token error codes (login / renew), see its error-code reference. */
const TOKEN_ERROR_CODES = new Set([1102016, 1102017, 1102018, 1102014, 1002066, 1003072]);

export class ZegoLoginTimeoutError extends Error {
  override name = 'ZegoLoginTimeoutError';
}

export class ZegoTokenError extends Error {
  override name = 'ZegoTokenError';
  constructor(readonly code: number) {
    super(`ZEGO token error ${code}`);
  }
}

/** Resolves with the promise, or rejects once `ms` pass (loginRoom retries forever on its own). */
export function withDeadline<T>(promise: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/** A user's camera stream id in a room (ZEGO allows letters, digits, "_" and "-", up to 256). */
export function zegoStreamId(roomId: string, userId: string): string {
  return `${roomId}_${userId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 240);
}

export class ZegoMeetingEngine implements MeetingEngine {
  private zg: ZegoEngineInstance | null = null;
  private stream: ZegoLocalStream | null = null;
  private screen: ZegoLocalStream | null = null;
  /** The other participant's streams being played, by stream id. */
  private readonly remote = new Map<string, MediaStream>();
  private readonly starting = new Set<string>();
  private remoteMedia: RemoteMediaState = { audioMuted: false, cameraOff: false };
  private readonly streamId: string;
  private readonly screenStreamId: string;
  private readonly peerStreamId: string;
  private readonly peerScreenStreamId: string;

  constructor(
    private readonly context: EngineContext,
    private readonly loadSdk: () => Promise<ZegoSdk> = () => import('zego-express-engine-webrtc'),
    private readonly loginTimeoutMs = ZEGO_LOGIN_TIMEOUT_MS,
  ) {
    const { roomId, userId, peer } = context.join;
    this.streamId = zegoStreamId(roomId, userId);
    this.screenStreamId = `${this.streamId}_screen`;
    this.peerStreamId = zegoStreamId(roomId, peer.id);
    this.peerScreenStreamId = `${this.peerStreamId}_screen`;
  }

  async join(localStream: MediaStream): Promise<void> {
    const { join, events } = this.context;
    if (!join.zegoServer) throw new Error('The server did not provide a ZEGOCLOUD server address.');
    events.onConnectionState('connecting');
    const { ZegoExpressEngine } = await this.loadSdk();
    const zg = new ZegoExpressEngine(join.appId, join.zegoServer);
    this.zg = zg;
    zg.setLogConfig({ logLevel: 'error', remoteLogLevel: 'disable', logURL: '' });
    zg.setDebugVerbose(false);

    zg.on('roomStreamUpdate', (_roomId, updateType, streamList) => {
      for (const { streamID } of streamList) {
        // Only the other participant's camera and screen: never our own, nor a stream we do not expect.
        if (streamID !== this.peerStreamId && streamID !== this.peerScreenStreamId) continue;
        if (updateType === 'ADD') void this.play(zg, streamID);
        else this.stopPlaying(zg, streamID);
      }
    });
    zg.on('remoteMicStatusUpdate', (streamID, status) => {
      if (streamID === this.peerStreamId) this.updateRemoteMedia({ audioMuted: status === 'MUTE' });
    });
    zg.on('remoteCameraStatusUpdate', (streamID, status) => {
      if (streamID === this.peerStreamId) this.updateRemoteMedia({ cameraOff: status === 'MUTE' });
    });
    // The browser's own "Stop sharing": the SDK has already destroyed the screen stream.
    zg.on('screenSharingEnded', () => {
      if (!this.screen) return;
      this.screen = null;
      zg.stopPublishingStream(this.screenStreamId);
      events.onScreenShareEnded();
    });
    zg.on('roomStateChanged', (_roomId, reason, errorCode) => {
      if (reason === 'RECONNECTING') events.onConnectionState('reconnecting');
      else if (reason === 'RECONNECTED') events.onConnectionState(this.remote.size > 0 ? 'connected' : 'waiting');
      else if (reason === 'LOGIN_FAILED' || reason === 'RECONNECT_FAILED' || reason === 'KICKOUT') {
        events.onConnectionState('failed', TOKEN_ERROR_CODES.has(errorCode) ? `token:${errorCode}` : String(errorCode));
      }
    });
    // ZEGO warns ~30 s before the token dies: fetch a fresh one from our join endpoint.
    zg.on('tokenWillExpire', (roomId) => {
      void this.context
        .renewToken()
        .then((token) => zg.renewToken(token, roomId))
        .catch((error: unknown) => logFailure('ZEGO: renewing the room token failed; the room ends when the current token expires', error, { roomId }));
    });

    try {
      await withDeadline(
        zg.loginRoom(join.roomId, join.token, { userID: join.userId, userName: join.userName }, { userUpdate: true }),
        this.loginTimeoutMs,
        () => new ZegoLoginTimeoutError('ZEGOCLOUD did not answer'),
      );
    } catch (error) {
      const code = Number((error as { code?: unknown }).code);
      if (TOKEN_ERROR_CODES.has(code)) throw new ZegoTokenError(code);
      throw error;
    }
    this.stream = await zg.createZegoStream({ custom: { video: { source: localStream }, audio: { source: localStream } } });
    zg.startPublishingStream(this.streamId, this.stream);
    if (this.remote.size === 0) events.onConnectionState('waiting');
  }

  private async play(zg: ZegoEngineInstance, streamID: string): Promise<void> {
    if (this.remote.has(streamID) || this.starting.has(streamID)) return;
    this.starting.add(streamID);
    try {
      const stream = await zg.startPlayingStream(streamID);
      // Removed (or the room left) while it started: let it go.
      if (!this.starting.delete(streamID) || this.zg !== zg) {
        zg.stopPlayingStream(streamID);
        return;
      }
      this.remote.set(streamID, stream);
      this.showRemote();
    } catch (error) {
      this.starting.delete(streamID);
      logFailure("ZEGO: playing the other participant's stream failed", error, { streamID });
    }
  }

  private stopPlaying(zg: ZegoEngineInstance, streamID: string): void {
    this.starting.delete(streamID);
    if (!this.remote.delete(streamID)) return;
    zg.stopPlayingStream(streamID);
    if (streamID === this.peerStreamId) this.updateRemoteMedia({ audioMuted: false, cameraOff: false });
    this.showRemote();
  }

  /** The other side's screen while they share, else their camera, else nothing (and we wait). */
  private showRemote(): void {
    const { events } = this.context;
    const shown = this.remote.get(this.peerScreenStreamId) ?? this.remote.get(this.peerStreamId) ?? null;
    events.onRemoteStream(shown);
    events.onConnectionState(shown ? 'connected' : 'waiting');
  }

  private updateRemoteMedia(change: Partial<RemoteMediaState>): void {
    this.remoteMedia = { ...this.remoteMedia, ...change };
    this.context.events.onRemoteMediaState(this.remoteMedia);
  }

  setMicrophoneMuted(muted: boolean): void {
    if (this.zg && this.stream) this.zg.mutePublishStreamAudio(this.stream, muted);
  }

  setCameraOff(off: boolean): void {
    if (this.zg && this.stream) this.zg.mutePublishStreamVideo(this.stream, off);
  }

  async startScreenShare(): Promise<void> {
    if (!this.zg || this.screen) return;
    this.screen = await this.zg.createZegoStream({ screen: { video: true, audio: false } });
    this.zg.startPublishingStream(this.screenStreamId, this.screen);
  }

  async stopScreenShare(): Promise<void> {
    if (this.zg) await this.stopScreenShareWith(this.zg);
  }

  async leave(): Promise<void> {
    const zg = this.zg;
    if (!zg) return;
    this.zg = null;
    await this.stopScreenShareWith(zg);
    for (const id of this.remote.keys()) zg.stopPlayingStream(id);
    this.remote.clear();
    this.starting.clear();
    zg.stopPublishingStream(this.streamId);
    if (this.stream) zg.destroyStream(this.stream);
    zg.logoutRoom(this.context.join.roomId);
  }

  private async stopScreenShareWith(zg: ZegoEngineInstance): Promise<void> {
    if (!this.screen) return;
    zg.stopPublishingStream(this.screenStreamId);
    zg.destroyStream(this.screen);
    this.screen = null;
  }
}
