import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MessageSquare, Mic, MicOff, MonitorUp, PhoneOff, LogOut, Signal, SignalLow, SignalMedium, Video, VideoOff } from 'lucide-react';
import { formatCountdown } from '../../app/time-format';
import { useNow } from '../../components/hooks';
import { ChatPanel } from './ChatPanel';
import { EndSessionDialog } from './EndSessionDialog';
import type { Meeting } from './useMeeting';
import { VideoTile } from './VideoTile';

const WARN_BEFORE_END_MS = 5 * 60_000;
const QUALITY_ICON = { good: Signal, fair: SignalMedium, poor: SignalLow } as const;
const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const shortcut = (key: string) => `${isMac ? '⌘' : 'Ctrl+'}${key}`;

/** The room: tiles with names, a timer, connection quality, icon + label controls, chat, End with confirmation. */
export function CallRoom({ meeting }: { meeting: Meeting }) {
  const { t } = useTranslation();
  const { join, toggles, connection, remoteMedia, quality } = meeting;
  const [chatOpen, setChatOpen] = useState(false);
  const [seen, setSeen] = useState(0);
  const [confirming, setConfirming] = useState(false);
  const [endError, setEndError] = useState<string | null>(null);
  const firstControl = useRef<HTMLButtonElement>(null);
  const now = useNow(1000);
  const peerName = join?.peer.name ?? '';
  const unread = chatOpen ? 0 : meeting.messages.filter((m) => m.from !== join?.userId).length - seen;

  // Focus goes to the controls once in the call (not lost to <body> when the pre-join unmounts).
  useEffect(() => {
    if (meeting.phase === 'in-call') firstControl.current?.focus();
  }, [meeting.phase]);

  // Ctrl/Cmd+D: microphone; Ctrl/Cmd+E: camera (as in Meet).
  const { toggleMute, toggleCamera } = meeting;
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      const key = event.key.toLowerCase();
      if (key !== 'd' && key !== 'e') return;
      event.preventDefault();
      if (key === 'd') toggleMute();
      else toggleCamera();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [toggleMute, toggleCamera]);

  const stateText =
    connection.state === 'waiting'
      ? t('meeting.state.waiting', { name: peerName })
      : connection.state === 'failed'
        ? t('meeting.state.failed', { reason: connection.reason ?? '' })
        : t(`meeting.state.${connection.state}`);
  const leftMs = join ? Date.parse(join.expiresAt) - now : 0;
  const QualityIcon = quality ? QUALITY_ICON[quality] : Signal;
  const openChat = () => {
    setSeen(meeting.messages.filter((m) => m.from !== join?.userId).length);
    setChatOpen(!chatOpen);
  };

  return (
    <div className="call">
      <header className="call-top">
        <h1 className="call-title">{t('meeting.title', { type: join?.sessionType ?? '', name: peerName })}</h1>
        <p className={`call-state call-state-${connection.state}`} role="status">
          {meeting.phase === 'joining' ? t('meeting.state.connecting') : stateText}
        </p>
        <p className={`call-timer ${leftMs < WARN_BEFORE_END_MS ? 'warn' : ''}`}>{leftMs > 0 ? t('meeting.timeLeft', { time: formatCountdown(leftMs) }) : t('meeting.overtime')}</p>
        <p className={`call-quality quality-${quality ?? 'unknown'}`} title={t(`meeting.quality.${quality ?? 'unknown'}`)}>
          <QualityIcon aria-hidden="true" size={16} />
          <span>{t(`meeting.quality.${quality ?? 'unknown'}`)}</span>
        </p>
      </header>
      {quality === 'poor' && (
        <p className="quality-warning" role="alert">
          {t('meeting.poorWarning')}
        </p>
      )}
      <div className="call-body">
        <div className="stage">
          <VideoTile
            stream={meeting.remoteStream}
            name={peerName}
            label={peerName}
            cameraOff={remoteMedia.cameraOff}
            micMuted={meeting.remoteStream && remoteMedia.audioMuted ? t('meeting.peerMuted', { name: peerName }) : null}
            note={meeting.remoteStream && remoteMedia.cameraOff ? t('meeting.peerCameraOff', { name: peerName }) : null}
          />
          <VideoTile stream={meeting.localStream} name={join?.userName ?? ''} label={t('meeting.you')} cameraOff={toggles.cameraOff && !meeting.sharing} self mirrored={!meeting.sharing} />
        </div>
        {chatOpen && join && <ChatPanel messages={meeting.messages} selfId={join.userId} peerName={peerName} onSend={meeting.sendChat} onClose={() => setChatOpen(false)} />}
      </div>
      <div className="controls" role="toolbar" aria-label={t('meeting.controls')}>
        <button ref={firstControl} type="button" className={`control ${toggles.muted ? 'active' : ''}`} onClick={toggleMute} title={`${toggles.muted ? t('meeting.unmute') : t('meeting.mute')} (${shortcut('D')})`} aria-keyshortcuts="Control+D Meta+D">
          {toggles.muted ? <MicOff aria-hidden="true" /> : <Mic aria-hidden="true" />}
          <span>{toggles.muted ? t('meeting.unmute') : t('meeting.mute')}</span>
        </button>
        <button type="button" className={`control ${toggles.cameraOff ? 'active' : ''}`} onClick={toggleCamera} title={`${toggles.cameraOff ? t('meeting.cameraOn') : t('meeting.cameraOff')} (${shortcut('E')})`} aria-keyshortcuts="Control+E Meta+E">
          {toggles.cameraOff ? <VideoOff aria-hidden="true" /> : <Video aria-hidden="true" />}
          <span>{toggles.cameraOff ? t('meeting.cameraOn') : t('meeting.cameraOff')}</span>
        </button>
        {typeof navigator.mediaDevices?.getDisplayMedia === 'function' && (
          <button type="button" className={`control ${meeting.sharing ? 'active' : ''}`} onClick={() => void meeting.toggleShare()}>
            <MonitorUp aria-hidden="true" />
            <span>{meeting.sharing ? t('meeting.stopSharing') : t('meeting.shareScreen')}</span>
          </button>
        )}
        <button type="button" className={`control ${chatOpen ? 'on' : ''}`} aria-pressed={chatOpen} onClick={openChat}>
          <MessageSquare aria-hidden="true" />
          <span>{t('meeting.chat')}</span>
          {unread > 0 && <span className="badge">{unread}</span>}
        </button>
        <button type="button" className="control" onClick={() => void meeting.leave()}>
          <LogOut aria-hidden="true" />
          <span>{t('meeting.leave')}</span>
        </button>
        {join?.role === 'mentor' && (
          <button type="button" className="control danger" onClick={() => setConfirming(true)}>
            <PhoneOff aria-hidden="true" />
            <span>{t('meeting.end')}</span>
          </button>
        )}
      </div>
      <EndSessionDialog
        open={confirming}
        peerName={peerName}
        error={endError}
        onCancel={() => setConfirming(false)}
        onConfirm={() => void meeting.endSession().then(setEndError)}
      />
    </div>
  );
}
