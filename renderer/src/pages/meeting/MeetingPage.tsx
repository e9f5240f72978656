/**
 * `/meeting?roomId=…&token=…&role=…` (docs/interface.md §4): device check, then the room with either
 * media engine behind one interface. Loaded lazily, so the ZEGO SDK never weighs on sign-in.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import type { JoinSessionData } from '@contract/api';
import { useClassroom } from '../../app/ClassroomProvider';
import { homePathFor } from '../../app/routes';
import { AppHeader } from '../../components/AppHeader';
import { errorMessage } from '../../components/error-message';
import { P2pMeetingEngine } from '../../meeting-engines/p2p';
import type { MeetingConnectionState, MeetingEngine, RemoteMediaState } from '../../meeting-engines/types';
import { ZegoLoginTimeoutError, ZegoMeetingEngine, ZegoTokenError } from '../../meeting-engines/zego';
import { ApiClient } from '../../services/api-client';
import { desktopBridge } from '../../services/desktop';
import { DeviceCheck } from './DeviceCheck';

type Phase = 'loading' | 'check' | 'joining' | 'in-call' | 'ended' | 'error';

/** Finds the live session of a room when the URL carries only the seed's parameters. */
async function resolveSessionId(api: ApiClient, roomId: string, role: string): Promise<string | null> {
  if (role === 'mentor') {
    const week = await api.mentorWeek();
    return week.slots.find((s) => s.liveSession?.roomId === roomId)?.liveSession?.sessionId ?? null;
  }
  const { sessions } = await api.studentSessions();
  return sessions.find((s) => s.roomId === roomId)?.sessionId ?? null;
}

function VideoTile({ stream, label, muted, mirrored }: { stream: MediaStream | null; label: string; muted: boolean; mirrored?: boolean }) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  return <video ref={ref} className={mirrored ? 'mirrored' : undefined} autoPlay playsInline muted={muted} aria-label={label} />;
}

export default function MeetingPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const { api, user, realtime } = useClassroom();
  const roomId = params.get('roomId') ?? '';
  const role = params.get('role') === 'mentor' ? 'mentor' : 'student';
  const [sessionId, setSessionId] = useState<string | null>(params.get('sessionId'));
  const [phase, setPhase] = useState<Phase>('loading');
  const [message, setMessage] = useState<string | null>(null);
  const [join, setJoin] = useState<JoinSessionData | null>(null);
  const [connection, setConnection] = useState<{ state: MeetingConnectionState; reason?: string }>({ state: 'connecting' });
  const [localStream, setLocalStream] = useState<MediaStream | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [remoteMedia, setRemoteMedia] = useState<RemoteMediaState>({ audioMuted: false, cameraOff: false });
  const [muted, setMuted] = useState(false);
  const [cameraOff, setCameraOff] = useState(false);
  const [sharing, setSharing] = useState(false);
  const engine = useRef<MeetingEngine | null>(null);
  const home = homePathFor(user?.role ?? role);

  // 1. Which session, and a fresh ticket for it (the URL's token may be stale) — once per room:
  // an effect event reads the latest session id, client and language without re-running the effect.
  const fetchTicket = useEffectEvent(async (room: string, cancelled: () => boolean) => {
    try {
      const id = sessionId ?? (await resolveSessionId(api, room, role));
      if (!id) throw new Error(t('meeting.notLive'));
      const ticket = await api.joinSession(id);
      if (cancelled()) return;
      setSessionId(id);
      setJoin(ticket);
      setPhase('check');
    } catch (error) {
      if (cancelled()) return;
      setMessage(errorMessage(t, error));
      setPhase('error');
    }
  });
  useEffect(() => {
    let cancelled = false;
    void fetchTicket(roomId, () => cancelled);
    return () => {
      cancelled = true;
    };
  }, [roomId]);

  const hangUp = useCallback(async () => {
    const current = engine.current;
    engine.current = null;
    void desktopBridge()?.setMeetingState(false);
    await current?.leave().catch(() => undefined);
    setRemoteStream(null);
    setLocalStream((stream) => {
      stream?.getTracks().forEach((track) => track.stop());
      return null;
    });
  }, []);

  // Leaving the page always leaves the room and releases camera and microphone.
  useEffect(() => () => void hangUp(), [hangUp]);

  // The mentor ended it: the student (and any other tab) leaves the room.
  useEffect(() => {
    if (!realtime || !sessionId) return;
    return realtime.onSessionEnded((event) => {
      if (event.sessionId !== sessionId) return;
      void hangUp();
      setPhase('ended');
      setMessage(t('meeting.ended'));
    });
  }, [realtime, sessionId, hangUp, t]);

  const enterRoom = async (stream: MediaStream) => {
    if (!join || !sessionId) return;
    setPhase('joining');
    setLocalStream(stream);
    const context = {
      join,
      renewToken: async () => (await api.joinSession(sessionId)).token,
      events: {
        onConnectionState: (state: MeetingConnectionState, reason?: string) => setConnection({ state, reason }),
        onRemoteStream: setRemoteStream,
        onRemoteMediaState: setRemoteMedia,
        onScreenShareEnded: () => setSharing(false),
      },
    };
    const chosen: MeetingEngine = join.engine === 'zego' || !realtime ? new ZegoMeetingEngine(context) : new P2pMeetingEngine(realtime, context);
    engine.current = chosen;
    try {
      await chosen.join(stream);
      setPhase('in-call');
      // The desktop app holds updates while a meeting runs.
      void desktopBridge()?.setMeetingState(true);
    } catch (error) {
      await hangUp();
      setPhase('error');
      if (error instanceof ZegoLoginTimeoutError) setMessage(t('meeting.zegoTimeout'));
      else if (error instanceof ZegoTokenError) setMessage(t('meeting.zegoToken', { code: error.code }));
      else setMessage(errorMessage(t, error));
    }
  };

  const toggleMute = () => {
    engine.current?.setMicrophoneMuted(!muted);
    setMuted(!muted);
  };
  const toggleCamera = () => {
    engine.current?.setCameraOff(!cameraOff);
    setCameraOff(!cameraOff);
  };
  const toggleShare = async () => {
    try {
      if (sharing) await engine.current?.stopScreenShare();
      else await engine.current?.startScreenShare();
      setSharing(!sharing);
    } catch {
      setSharing(false); // the person cancelled the screen picker
    }
  };
  const leave = async () => {
    await hangUp();
    navigate(home);
  };
  const endSession = async () => {
    if (!sessionId) return;
    try {
      await api.endSession(sessionId);
    } catch (error) {
      setMessage(errorMessage(t, error));
      return;
    }
    await hangUp();
    navigate(home);
  };

  const peerName = join?.peer.name ?? '';
  const stateText =
    phase === 'loading' || phase === 'check'
      ? t('meeting.state.preparing')
      : connection.state === 'waiting'
        ? t('meeting.state.waiting', { name: peerName })
        : connection.state === 'failed'
          ? t('meeting.state.failed', { reason: connection.reason ?? '' })
          : t(`meeting.state.${connection.state}`);

  return (
    <div className="app meeting-app">
      <AppHeader />
      <main className="page page-meeting">
        {join && (
          <div className="page-title">
            <h1>{t('meeting.title', { type: join.sessionType, name: peerName })}</h1>
            {(phase === 'joining' || phase === 'in-call') && (
              <p className={`call-state call-state-${connection.state}`} role="status">
                {stateText}
              </p>
            )}
          </div>
        )}

        {phase === 'loading' && <p role="status">{t('meeting.state.preparing')}</p>}
        {phase === 'check' && <DeviceCheck onReady={(stream) => void enterRoom(stream)} busy={false} />}

        {(phase === 'joining' || phase === 'in-call') && (
          <>
            <div className="stage">
              <div className="remote-tile">
                {remoteStream ? <VideoTile stream={remoteStream} label={peerName} muted={false} /> : <div className="placeholder">{stateText}</div>}
                {remoteStream && remoteMedia.cameraOff && <div className="tile-note">{t('meeting.peerCameraOff', { name: peerName })}</div>}
                {remoteStream && remoteMedia.audioMuted && <div className="tile-badge">{t('meeting.peerMuted', { name: peerName })}</div>}
              </div>
              <div className="local-tile">
                <VideoTile stream={localStream} label={t('meeting.you')} muted mirrored={!sharing} />
              </div>
            </div>
            <div className="controls" role="toolbar" aria-label={t('appName')}>
              <button type="button" className={`button control ${muted ? 'active' : ''}`} onClick={toggleMute}>
                {muted ? t('meeting.unmute') : t('meeting.mute')}
              </button>
              <button type="button" className={`button control ${cameraOff ? 'active' : ''}`} onClick={toggleCamera}>
                {cameraOff ? t('meeting.cameraOn') : t('meeting.cameraOff')}
              </button>
              {typeof navigator.mediaDevices?.getDisplayMedia === 'function' && (
                <button type="button" className={`button control ${sharing ? 'active' : ''}`} onClick={() => void toggleShare()}>
                  {sharing ? t('meeting.stopSharing') : t('meeting.shareScreen')}
                </button>
              )}
              <button type="button" className="button control" onClick={() => void leave()}>
                {t('meeting.leave')}
              </button>
              {join?.role === 'mentor' && (
                <button type="button" className="button danger" onClick={() => void endSession()}>
                  {t('meeting.end')}
                </button>
              )}
            </div>
          </>
        )}

        {(phase === 'ended' || phase === 'error') && (
          <section className="card notice">
            <p role="alert">{message}</p>
            <button type="button" className="button primary" onClick={() => navigate(home)}>
              {t('meeting.back')}
            </button>
          </section>
        )}
      </main>
    </div>
  );
}
