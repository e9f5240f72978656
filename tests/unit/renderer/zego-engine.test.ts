/**
 * The ZEGO engine against a FAKE ZEGO SDK — ZEGOCLOUD's cloud is the one edge we cannot reach
 * here (offline, the real `loginRoom` never settles). The fake records calls and lets the test
 * play the cloud's part: never answer, refuse the token, announce streams, warn of expiry.
 */
import { describe, expect, it, vi } from 'vitest';
import type { JoinSessionData } from '@contract/api';
import { ZegoLoginTimeoutError, ZegoMeetingEngine, ZegoTokenError, withDeadline } from '../../../renderer/src/meeting-engines/zego';

type Handler = (...args: any[]) => unknown;

function fakeSdk(login: () => Promise<boolean>) {
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

function makeEngine(login: () => Promise<boolean>, renewToken = vi.fn(async () => '04renewed')) {
  const { sdk, instances } = fakeSdk(login);
  const events = { onConnectionState: vi.fn(), onRemoteStream: vi.fn(), onRemoteMediaState: vi.fn(), onScreenShareEnded: vi.fn() };
  const engine = new ZegoMeetingEngine({ join, renewToken, events }, async () => sdk, 200);
  return { engine, instances, events, renewToken };
}

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
    expect(events.onRemoteStream).toHaveBeenCalledWith({ fake: 'remote-room_1_mentor_001' });
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

  it('withDeadline passes through a result that arrives in time', async () => {
    await expect(withDeadline(Promise.resolve(7), 100, () => new Error('late'))).resolves.toBe(7);
    await expect(withDeadline(new Promise(() => undefined), 20, () => new Error('late'))).rejects.toThrow('late');
  });
});
