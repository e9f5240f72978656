/**
 * The ZEGO engine against a FAKE ZEGO SDK — ZEGOCLOUD's cloud is the one edge we cannot reach
 * here (offline, the real `loginRoom` never settles). The fake records calls and lets the test
 * play the cloud's part: never answer, refuse the token, announce streams, warn of expiry.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { JoinSessionData } from '@contract/api';
import { ZegoLoginTimeoutError, ZegoMeetingEngine, ZegoTokenError, withDeadline } from '../../../renderer/src/meeting-engines/zego';

type Handler = (...args: any[]) => unknown;

function fakeSdk(login: () => Promise<boolean>, refusePlaying = new Set<string>()) {
  const instances: FakeEngine[] = [];
  class FakeEngine {
    handlers = new Map<string, Handler>();
    calls: Array<[string, ...unknown[]]> = [];
    constructor(
      readonly appId: number,
      readonly server: string,
    ) {
      instances.push(this);
    }
    setLogConfig(config: unknown) {
      this.calls.push(['setLogConfig', config]);
    }
    setDebugVerbose(on: boolean) {
      this.calls.push(['setDebugVerbose', on]);
    }
    on(event: string, handler: Handler) {
      this.handlers.set(event, handler);
    }
    loginRoom(...args: unknown[]) {
      this.calls.push(['loginRoom', ...args]);
      return login();
    }
    async createZegoStream(options: unknown) {
      this.calls.push(['createZegoStream', options]);
      return { fake: 'local-stream' };
    }
    startPublishingStream(id: string) {
      this.calls.push(['startPublishingStream', id]);
      return true;
    }
    async startPlayingStream(id: string) {
      this.calls.push(['startPlayingStream', id]);
      if (refusePlaying.has(id)) throw { code: 1104001, msg: 'play failed' };
      return { fake: `remote-${id}` };
    }
    stopPlayingStream(id: string) {
      this.calls.push(['stopPlayingStream', id]);
    }
    renewToken(token: string, roomId: string) {
      this.calls.push(['renewToken', token, roomId]);
      return true;
    }
    mutePublishStreamAudio(_stream: unknown, mute: boolean) {
      this.calls.push(['mutePublishStreamAudio', mute]);
      return true;
    }
    mutePublishStreamVideo(_stream: unknown, off: boolean) {
      this.calls.push(['mutePublishStreamVideo', off]);
      return true;
    }
    stopPublishingStream(id: string) {
      this.calls.push(['stopPublishingStream', id]);
      return true;
    }
    destroyStream() {
      this.calls.push(['destroyStream']);
    }
    logoutRoom(roomId: string) {
      this.calls.push(['logoutRoom', roomId]);
    }
  }
  return { sdk: { ZegoExpressEngine: FakeEngine } as any, instances };
}

const join: JoinSessionData = {
  sessionId: 'session_1',
  roomId: 'room_1',
  token: '04first',
  appId: 123456789,
  role: 'student',
  sessionType: 'Speaking Practice',
  engine: 'zego',
  expiresAt: '2026-11-25T10:00:00Z',
  tokenExpiresAt: '2026-11-25T10:00:00Z',
  userId: 'L001',
  userName: 'Trần Thị Lan',
  peer: { id: 'mentor_001', role: 'mentor', name: 'Nguyễn Văn Minh' },
  iceServers: [],
  zegoServer: 'wss://webliveroom123456789-api.zegocloud.com/ws',
};

function makeEngine(login: () => Promise<boolean>, renewToken = vi.fn(async () => '04renewed'), refusePlaying?: Set<string>) {
  const { sdk, instances } = fakeSdk(login, refusePlaying);
  const events = { onConnectionState: vi.fn(), onRemoteStream: vi.fn(), onRemoteMediaState: vi.fn(), onScreenShareEnded: vi.fn() };
  const engine = new ZegoMeetingEngine({ join, renewToken, events }, async () => sdk, 200);
  return { engine, instances, events, renewToken };
}

/** An engine whose login succeeded and which has joined room_1; `zg` is its ZEGO instance. */
async function joinedEngine(renewToken?: Parameters<typeof makeEngine>[1], refusePlaying?: Set<string>) {
  const made = makeEngine(async () => true, renewToken, refusePlaying);
  await made.engine.join({} as MediaStream);
  return { ...made, zg: made.instances[0]! };
}

/** ZEGO announces a stream of the room. */
const streamAdded = (zg: { handlers: Map<string, Handler> }, streamID: string) => zg.handlers.get('roomStreamUpdate')!('room_1', 'ADD', [{ streamID }]);

describe('ZEGO engine (fake ZEGO SDK: the cloud is unreachable here)', () => {
  it('gives up on a loginRoom that never settles, with its own deadline', async () => {
    const { engine, instances } = makeEngine(() => new Promise(() => undefined));
    const started = Date.now();
    await expect(engine.join({} as MediaStream)).rejects.toBeInstanceOf(ZegoLoginTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(instances[0]!.calls.find((c) => c[0] === 'startPublishingStream')).toBeUndefined();
  });

  it('turns ZEGO token errors into ZegoTokenError with the code', async () => {
    const { engine } = makeEngine(() => Promise.reject({ code: 1102016, msg: 'token error' }));
    const error = await engine.join({} as MediaStream).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ZegoTokenError);
    expect((error as ZegoTokenError).code).toBe(1102016);
  });

  it('logs in with the user, publishes, plays the other stream, renews the token, turns remote logging off', async () => {
    const { engine, instances, events, renewToken } = makeEngine(async () => true);
    await engine.join({ local: true } as unknown as MediaStream);
    const zg = instances[0]!;
    expect([zg.appId, zg.server]).toEqual([123456789, join.zegoServer]);
    expect(zg.calls).toContainEqual(['setLogConfig', expect.objectContaining({ remoteLogLevel: 'disable' })]);
    expect(zg.calls).toContainEqual(['loginRoom', 'room_1', '04first', { userID: 'L001', userName: 'Trần Thị Lan' }, { userUpdate: true }]);
    expect(zg.calls).toContainEqual(['createZegoStream', { custom: { video: { source: { local: true } }, audio: { source: { local: true } } } }]);
    expect(zg.calls).toContainEqual(['startPublishingStream', 'room_1_L001']);
    expect(events.onConnectionState).toHaveBeenLastCalledWith('waiting');

    await zg.handlers.get('roomStreamUpdate')!('room_1', 'ADD', [{ streamID: 'room_1_mentor_001' }, { streamID: 'room_1_L001' }]);
    expect(zg.calls).toContainEqual(['startPlayingStream', 'room_1_mentor_001']);
    expect(zg.calls.filter((c) => c[0] === 'startPlayingStream')).toHaveLength(1); // never our own stream
    await vi.waitFor(() => expect(events.onRemoteStream).toHaveBeenCalledWith({ fake: 'remote-room_1_mentor_001' }));
    expect(events.onConnectionState).toHaveBeenLastCalledWith('connected');

    zg.handlers.get('tokenWillExpire')!('room_1');
    await vi.waitFor(() => expect(zg.calls).toContainEqual(['renewToken', '04renewed', 'room_1']));
    expect(renewToken).toHaveBeenCalledTimes(1);

    engine.setMicrophoneMuted(true);
    engine.setCameraOff(true);
    expect(zg.calls).toContainEqual(['mutePublishStreamAudio', true]);
    expect(zg.calls).toContainEqual(['mutePublishStreamVideo', true]);

    await zg.handlers.get('roomStreamUpdate')!('room_1', 'DELETE', [{ streamID: 'room_1_mentor_001' }]);
    expect(events.onRemoteStream).toHaveBeenLastCalledWith(null);
    await engine.leave();
    expect(zg.calls).toContainEqual(['logoutRoom', 'room_1']);
  });

  it("reports the other side's microphone and camera from ZEGO's status events, for their camera stream only", async () => {
    const { zg, events } = await joinedEngine();
    await streamAdded(zg, 'room_1_mentor_001');
    await vi.waitFor(() => expect(events.onRemoteStream).toHaveBeenCalledTimes(1));
    zg.handlers.get('remoteMicStatusUpdate')!('room_1_mentor_001', 'MUTE');
    expect(events.onRemoteMediaState).toHaveBeenLastCalledWith({ audioMuted: true, cameraOff: false });
    zg.handlers.get('remoteCameraStatusUpdate')!('room_1_mentor_001', 'MUTE');
    expect(events.onRemoteMediaState).toHaveBeenLastCalledWith({ audioMuted: true, cameraOff: true });
    zg.handlers.get('remoteMicStatusUpdate')!('room_1_mentor_001', 'OPEN');
    expect(events.onRemoteMediaState).toHaveBeenLastCalledWith({ audioMuted: false, cameraOff: true });
    const reports = events.onRemoteMediaState.mock.calls.length;
    zg.handlers.get('remoteMicStatusUpdate')!('room_1_L001', 'MUTE'); // our own stream, echoed
    zg.handlers.get('remoteCameraStatusUpdate')!('room_1_mentor_001_screen', 'MUTE');
    expect(events.onRemoteMediaState).toHaveBeenCalledTimes(reports);
    // They leave: nothing of theirs is muted any more, and we wait.
    zg.handlers.get('roomStreamUpdate')!('room_1', 'DELETE', [{ streamID: 'room_1_mentor_001' }]);
    expect(events.onRemoteMediaState).toHaveBeenLastCalledWith({ audioMuted: false, cameraOff: false });
    expect(events.onConnectionState).toHaveBeenLastCalledWith('waiting');
  });

  it("shows the other side's screen while they share, then their camera again", async () => {
    const { engine, zg, events } = await joinedEngine();
    await streamAdded(zg, 'room_1_mentor_001');
    await vi.waitFor(() => expect(events.onRemoteStream).toHaveBeenLastCalledWith({ fake: 'remote-room_1_mentor_001' }));
    await streamAdded(zg, 'room_1_mentor_001_screen');
    await vi.waitFor(() => expect(events.onRemoteStream).toHaveBeenLastCalledWith({ fake: 'remote-room_1_mentor_001_screen' }));
    zg.handlers.get('roomStreamUpdate')!('room_1', 'DELETE', [{ streamID: 'room_1_mentor_001_screen' }]);
    expect(zg.calls).toContainEqual(['stopPlayingStream', 'room_1_mentor_001_screen']);
    expect(events.onRemoteStream).toHaveBeenLastCalledWith({ fake: 'remote-room_1_mentor_001' });
    expect(events.onConnectionState).toHaveBeenLastCalledWith('connected');
    await engine.leave();
    expect(zg.calls).toContainEqual(['stopPlayingStream', 'room_1_mentor_001']);
  });

  it("ends our screen share when the browser's own Stop sharing ends it, and can share again", async () => {
    const { engine, zg, events } = await joinedEngine();
    await engine.startScreenShare();
    expect(zg.calls).toContainEqual(['createZegoStream', { screen: { video: true, audio: false } }]);
    expect(zg.calls).toContainEqual(['startPublishingStream', 'room_1_L001_screen']);
    const destroyedBefore = zg.calls.filter((c) => c[0] === 'destroyStream').length;

    zg.handlers.get('screenSharingEnded')!({ fake: 'screen-media-stream' });
    expect(zg.calls).toContainEqual(['stopPublishingStream', 'room_1_L001_screen']);
    expect(zg.calls.filter((c) => c[0] === 'destroyStream')).toHaveLength(destroyedBefore); // the SDK destroyed it itself
    expect(events.onScreenShareEnded).toHaveBeenCalledTimes(1);

    await engine.startScreenShare();
    expect(zg.calls.filter((c) => c[0] === 'startPublishingStream' && c[1] === 'room_1_L001_screen')).toHaveLength(2);
    await engine.stopScreenShare();
    expect(events.onScreenShareEnded).toHaveBeenCalledTimes(1); // our own stop is not "ended from outside"
  });

  describe('failures it recovers from are logged with their context', () => {
    afterEach(() => vi.restoreAllMocks());

    it('a token renewal that fails', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const { zg } = await joinedEngine(vi.fn(async () => Promise.reject(new Error('join endpoint unreachable'))));
      zg.handlers.get('tokenWillExpire')!('room_1');
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('renewing the room token failed'), { roomId: 'room_1' }, expect.objectContaining({ message: 'join endpoint unreachable' })));
      expect(zg.calls.find((c) => c[0] === 'renewToken')).toBeUndefined();
    });

    it("playing the other side's stream that fails, which a later announcement retries", async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
      const refused = new Set(['room_1_mentor_001']);
      const { zg, events } = await joinedEngine(undefined, refused);
      await streamAdded(zg, 'room_1_mentor_001');
      await vi.waitFor(() => expect(warn).toHaveBeenCalledWith(expect.stringContaining('playing the other participant'), { streamID: 'room_1_mentor_001' }, { code: 1104001, msg: 'play failed' }));
      expect(events.onRemoteStream).not.toHaveBeenCalled();
      refused.clear();
      await streamAdded(zg, 'room_1_mentor_001');
      await vi.waitFor(() => expect(events.onRemoteStream).toHaveBeenLastCalledWith({ fake: 'remote-room_1_mentor_001' }));
    });
  });

  it('withDeadline passes through a result that arrives in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 100, () => new Error('late'))).resolves.toBe(7);
    await expect(withDeadline(new Promise(() => undefined), 20, () => new Error('late'))).rejects.toThrow('late');
  });
});
