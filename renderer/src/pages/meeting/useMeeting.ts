/**
 * The meeting as one hook: find the session, get a fresh ticket, pre-join (or rejoin directly
 * after a reload), enter the call layer and the media engine, follow the other person, the chat
 * and the connection quality, step back when another window takes over, and end.
 */
import { useCallback, useEffect, useEffectEvent, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { JoinSessionData } from '@contract/api';
import type { ChatMessage, RtcPeer } from '@contract/socket-events';
import { useClassroom } from '../../app/ClassroomProvider';
import { errorMessage } from '../../components/error-message';
import { createMeetingEngine, engineFailureKey } from '../../meeting-engines/create-engine';
import { qualityBetween, type QualityLevel, type StatsSample } from '../../meeting-engines/quality';
import type { MeetingConnectionState, MeetingEngine, RemoteMediaState } from '../../meeting-engines/types';
import type { ApiClient } from '../../services/api-client';
import { desktopBridge } from '../../services/desktop';
import { forgetCall, recallCall, rememberCall } from './call-memory';
import { applyMediaState, choiceOf, openLocalMedia } from './media';

export type MeetingPhase = 'loading' | 'prejoin' | 'joining' | 'in-call' | 'taken-over' | 'ended' | 'left' | 'error';

export interface MediaToggles {
  muted: boolean;
  cameraOff: boolean;
}

const QUALITY_EVERY_MS = 2000;

/** Finds the live session of a room when the URL carries only the seed's parameters. */
async function resolveSessionId(api: ApiClient, roomId: string, role: string): Promise<string | null> {
  if (role === 'mentor') {
    const week = await api.mentorWeek();
    return week.slots.find((s) => s.liveSession?.roomId === roomId)?.liveSession?.sessionId ?? null;
  }
  const { sessions } = await api.studentSessions();
  return sessions.find((s) => s.roomId === roomId)?.sessionId ?? null;
}

export function useMeeting(params: { roomId: string | null; sessionId: string | null; role: string | null }) {
  const { t } = useTranslation();
  const { api, realtime } = useClassroom();
  const [phase, setPhase] = useState<MeetingPhase>('loading');
  const [sessionId, setSessionId] = useState(params.sessionId);
  const [join, setJoin] = useState<JoinSessionData | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [connection, setConnection] = useState<{ state: MeetingConnectionState; reason?: string }>({ state: 'connecting' });
  const [localStream, setLocalStream] = useState<MediaStream | null>(null);
  const [remoteStream, setRemoteStream] = useState<MediaStream | null>(null);
  const [remoteMedia, setRemoteMedia] = useState<RemoteMediaState>({ audioMuted: false, cameraOff: false });
  const [toggles, setToggles] = useState<MediaToggles>({ muted: false, cameraOff: false });
  const [sharing, setSharing] = useState(false);
  const [participants, setParticipants] = useState<RtcPeer[]>([]);
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const [quality, setQuality] = useState<QualityLevel | null>(null);
  const [joinedAt, setJoinedAt] = useState<number | null>(null);
  const [leftAt, setLeftAt] = useState<number | null>(null);
  const engine = useRef<MeetingEngine | null>(null);

  const addMessages = useCallback((incoming: ChatMessage[]) => {
    setMessages((current) => {
      const known = new Set(current.map((m) => m.id));
      return [...current, ...incoming.filter((m) => !known.has(m.id))].sort((a, b) => a.sentAt.localeCompare(b.sentAt));
    });
  }, []);

  const hangUp = useCallback(async () => {
    const current = engine.current;
    engine.current = null;
    void desktopBridge()?.setMeetingState(false);
    await current?.leave().catch((error: unknown) => console.warn('leaving the media room failed', error));
    setRemoteStream(null);
    setQuality(null);
    setLeftAt(Date.now());
    setLocalStream((stream) => {
      stream?.getTracks().forEach((track) => track.stop());
      return null;
    });
  }, []);

  /** Into the call layer (taking over this person's other windows), then the media room. */
  const enter = useCallback(
    async (stream: MediaStream, initial: MediaToggles) => {
      if (!join || !sessionId || !realtime) return;
      setPhase('joining');
      applyMediaState(stream, initial);
      setToggles(initial);
      setLocalStream(stream);
      rememberCall({ sessionId, ...initial, ...choiceOf(stream) });
      const call = await realtime.callJoin(sessionId);
      if (call.ok) {
        setParticipants(call.participants);
        addMessages(call.messages);
      }
      const chosen = createMeetingEngine(
        {
          join,
          renewToken: async () => (await api.joinSession(sessionId)).token,
          events: {
            onConnectionState: (state, reason) => setConnection({ state, reason }),
            onRemoteStream: setRemoteStream,
            onRemoteMediaState: setRemoteMedia,
            onScreenShareEnded: () => setSharing(false),
          },
        },
        realtime,
      );
      engine.current = chosen;
      try {
        await chosen.join(stream);
        chosen.setMicrophoneMuted(initial.muted);
        chosen.setCameraOff(initial.cameraOff);
        setJoinedAt((at) => at ?? Date.now());
        setPhase('in-call');
        // The desktop app holds updates while a meeting runs.
        void desktopBridge()?.setMeetingState(true);
      } catch (error) {
        await hangUp();
        forgetCall();
        const failure = engineFailureKey(error);
        setMessage(failure ? t(failure.key, failure.values) : errorMessage(t, error));
        setPhase('error');
      }
    },
    [join, sessionId, realtime, api, addMessages, hangUp, t],
  );

  // 1. Which session, and a fresh ticket (the URL's token may be stale); a reload rejoins directly.
  const start = useEffectEvent(async (cancelled: () => boolean) => {
    try {
      const id = sessionId ?? (params.roomId ? await resolveSessionId(api, params.roomId, params.role ?? 'student') : null);
      if (!id) throw new Error(t('meeting.notLive'));
      const ticket = await api.joinSession(id);
      if (cancelled()) return;
      setSessionId(id);
      setJoin(ticket);
      const memory = recallCall(id);
      if (!memory) return setPhase('prejoin');
      setToggles({ muted: memory.muted, cameraOff: memory.cameraOff });
      setPhase('joining');
    } catch (error) {
      if (cancelled()) return;
      setMessage(errorMessage(t, error));
      setPhase('error');
    }
  });
  useEffect(() => {
    if (!params.roomId && !params.sessionId) return;
    let cancelled = false;
    void start(() => cancelled);
    return () => {
      cancelled = true;
    };
  }, [params.roomId, params.sessionId]);

  // A remembered call (reload) or "Use here": media with the same devices and toggles, then enter.
  const rejoin = useCallback(async () => {
    if (!sessionId) return;
    const memory = recallCall(sessionId);
    try {
      const stream = await openLocalMedia({ cameraId: memory?.cameraId ?? null, microphoneId: memory?.microphoneId ?? null });
      await enter(stream, { muted: memory?.muted ?? toggles.muted, cameraOff: memory?.cameraOff ?? toggles.cameraOff });
    } catch (error) {
      setMessage(errorMessage(t, error));
      setPhase('error');
    }
  }, [sessionId, enter, toggles, t]);
  const autoRejoin = useEffectEvent(() => void rejoin());
  useEffect(() => {
    if (phase === 'joining' && join && !engine.current && !localStream) autoRejoin();
  }, [phase, join, localStream]);

  // Leaving the page always leaves the room and releases camera and microphone.
  useEffect(() => () => void hangUp(), [hangUp]);

  // The other person, the chat, the end, and another window of mine taking over.
  useEffect(() => {
    if (!realtime || !sessionId) return;
    const offs = [
      realtime.onCallParticipants((event) => event.sessionId === sessionId && setParticipants(event.participants)),
      realtime.onChatMessage((chat) => chat.sessionId === sessionId && addMessages([chat])),
      realtime.onSessionEnded((event) => {
        if (event.sessionId !== sessionId) return;
        forgetCall();
        void hangUp();
        setPhase('ended');
      }),
      realtime.onCallTakenOver((event) => {
        if (event.sessionId !== sessionId) return;
        forgetCall();
        void hangUp();
        setPhase('taken-over');
      }),
    ];
    return () => offs.forEach((off) => off());
  }, [realtime, sessionId, addMessages, hangUp]);

  // Who is already in, for the pre-join screen; after a reconnect, back into the call layer.
  useEffect(() => {
    if (!realtime || !sessionId) return;
    if (phase === 'prejoin') void realtime.callPeek(sessionId).then((peek) => peek.ok && setParticipants(peek.participants));
    if (phase !== 'in-call') return;
    return realtime.onReconnected(() => void realtime.callJoin(sessionId).then((call) => call.ok && addMessages(call.messages)));
  }, [realtime, sessionId, phase, addMessages]);

  // Connection quality from the engine's statistics.
  useEffect(() => {
    if (phase !== 'in-call') return;
    let previous: StatsSample | null = null;
    const timer = setInterval(() => {
      void engine.current?.sampleStats?.().then((sample) => {
        if (!sample) return;
        if (previous) {
          const level = qualityBetween(previous, sample);
          if (level) setQuality(level);
        }
        previous = sample;
      });
    }, QUALITY_EVERY_MS);
    return () => clearInterval(timer);
  }, [phase]);

  const setMediaToggles = (next: MediaToggles) => {
    setToggles(next);
    engine.current?.setMicrophoneMuted(next.muted);
    engine.current?.setCameraOff(next.cameraOff);
    if (sessionId && localStream) rememberCall({ sessionId, ...next, ...choiceOf(localStream) });
  };

  return {
    phase,
    sessionId,
    join,
    message,
    connection,
    localStream,
    remoteStream,
    remoteMedia,
    toggles,
    sharing,
    participants,
    messages,
    quality,
    joinedAt,
    leftAt,
    enter,
    useHere: rejoin,
    toggleMute: () => setMediaToggles({ ...toggles, muted: !toggles.muted }),
    toggleCamera: () => setMediaToggles({ ...toggles, cameraOff: !toggles.cameraOff }),
    async toggleShare() {
      try {
        if (sharing) await engine.current?.stopScreenShare();
        else await engine.current?.startScreenShare();
        setSharing(!sharing);
      } catch {
        setSharing(false); // the person cancelled the screen picker
      }
    },
    async sendChat(text: string): Promise<string | null> {
      if (!realtime || !sessionId) return null;
      const sent = await realtime.chatSend(sessionId, text);
      if (!sent.ok) return sent.message;
      addMessages([sent.message]);
      return null;
    },
    async leave() {
      forgetCall();
      if (sessionId) realtime?.callLeave(sessionId);
      await hangUp();
      setPhase('left');
    },
    async endSession(): Promise<string | null> {
      if (!sessionId) return null;
      try {
        await api.endSession(sessionId);
      } catch (error) {
        return errorMessage(t, error);
      }
      forgetCall();
      await hangUp();
      setPhase('ended');
      return null;
    },
  };
}

export type Meeting = ReturnType<typeof useMeeting>;
