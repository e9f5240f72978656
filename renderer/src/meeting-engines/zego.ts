/**
 * The ZEGOCLOUD engine. The SDK (~600 KB gzipped) is imported only here, and this module is only
 * reached from the lazily loaded meeting route. Offline, `loginRoom` never settles, so we give it
 * our own deadline; token errors become sentences a user can act on; remote logging is off.
 */
import type { EngineContext, MeetingEngine } from './types';

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

export class ZegoMeetingEngine implements MeetingEngine {
  private zg: ZegoEngineInstance | null = null;
  private stream: ZegoLocalStream | null = null;
  private screen: ZegoLocalStream | null = null;
  private playing = new Set<string>();
  private readonly streamId: string;

  constructor(
    private readonly context: EngineContext,
    private readonly loadSdk: () => Promise<ZegoSdk> = () => import('zego-express-engine-webrtc'),
    private readonly loginTimeoutMs = ZEGO_LOGIN_TIMEOUT_MS,
  ) {
    const { roomId, userId } = context.join;
    this.streamId = `${roomId}_${userId}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 256);
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

    zg.on('roomStreamUpdate', async (_roomId, updateType, streamList) => {
      for (const { streamID } of streamList) {
        if (streamID === this.streamId) continue;
        if (updateType === 'ADD' && !this.playing.has(streamID)) {
          this.playing.add(streamID);
          events.onRemoteStream(await zg.startPlayingStream(streamID));
          events.onConnectionState('connected');
        } else if (updateType === 'DELETE' && this.playing.delete(streamID)) {
          zg.stopPlayingStream(streamID);
          events.onRemoteStream(null);
          events.onConnectionState('waiting');
        }
      }
    });
    zg.on('roomStateChanged', (_roomId, reason, errorCode) => {
      if (reason === 'RECONNECTING') events.onConnectionState('reconnecting');
      else if (reason === 'RECONNECTED') events.onConnectionState(this.playing.size > 0 ? 'connected' : 'waiting');
      else if (reason === 'LOGIN_FAILED' || reason === 'RECONNECT_FAILED' || reason === 'KICKOUT') {
        events.onConnectionState('failed', TOKEN_ERROR_CODES.has(errorCode) ? `token:${errorCode}` : String(errorCode));
      }
    });
    // ZEGO warns ~30 s before the token dies: fetch a fresh one from our join endpoint.
    zg.on('tokenWillExpire', (roomId) => {
      void this.context.renewToken().then((token) => zg.renewToken(token, roomId));
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
    if (this.playing.size === 0) events.onConnectionState('waiting');
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
    this.zg.startPublishingStream(`${this.streamId}_screen`, this.screen);
  }

  async stopScreenShare(): Promise<void> {
    if (this.zg) await this.stopScreenShareWith(this.zg);
  }

  async leave(): Promise<void> {
    const zg = this.zg;
    if (!zg) return;
    this.zg = null;
    await this.stopScreenShareWith(zg);
    for (const id of this.playing) zg.stopPlayingStream(id);
    this.playing.clear();
    zg.stopPublishingStream(this.streamId);
    if (this.stream) zg.destroyStream(this.stream);
    zg.logoutRoom(this.context.join.roomId);
  }

  private async stopScreenShareWith(zg: ZegoEngineInstance): Promise<void> {
    if (!this.screen) return;
    zg.stopPublishingStream(`${this.streamId}_screen`);
    zg.destroyStream(this.screen);
    this.screen = null;
  }
}
