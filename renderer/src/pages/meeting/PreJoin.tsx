import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Mic, MicOff, Video, VideoOff } from 'lucide-react';
import type { JoinSessionData } from '@contract/api';
import type { RtcPeer } from '@contract/socket-events';
import { Avatar } from '../../components/Avatar';
import { applyMediaState, openLocalMedia, type DeviceChoice } from './media';
import type { MediaToggles } from './useMeeting';

/** A 0–1 level of the stream's microphone, updated on animation frames. */
function useMicLevel(stream: MediaStream | null): number {
  const [level, setLevel] = useState(0);
  useEffect(() => {
    if (!stream || stream.getAudioTracks().length === 0 || typeof AudioContext === 'undefined') return;
    const context = new AudioContext();
    const analyser = context.createAnalyser();
    analyser.fftSize = 512;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Uint8Array(analyser.fftSize);
    let frame = 0;
    const tick = () => {
      analyser.getByteTimeDomainData(samples);
      let peak = 0;
      for (const sample of samples) peak = Math.max(peak, Math.abs(sample - 128) / 128);
      setLevel(peak);
      frame = requestAnimationFrame(tick);
    };
    tick();
    return () => {
      cancelAnimationFrame(frame);
      void context.close();
    };
  }, [stream]);
  return level;
}

function DevicePicker({ label, devices, value, onChange }: { label: string; devices: MediaDeviceInfo[]; value: string; onChange: (deviceId: string) => void }) {
  return (
    <label className="field">
      <span>{label}</span>
      <select value={value} onChange={(e) => onChange(e.target.value)} disabled={devices.length === 0}>
        {devices.map((device, index) => (
          <option key={device.deviceId || index} value={device.deviceId}>
            {device.label || `${label} ${index + 1}`}
          </option>
        ))}
      </select>
    </label>
  );
}

interface PreJoinProps {
  join: JoinSessionData;
  participants: RtcPeer[];
  initial: MediaToggles;
  onJoin(stream: MediaStream, toggles: MediaToggles): void;
  onCancel(): void;
}

/** Meet's green room: a centred preview with microphone and camera toggles, who is in already, Join now or Cancel. */
export function PreJoin({ join, participants, initial, onJoin, onCancel }: PreJoinProps) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [choice, setChoice] = useState<DeviceChoice>({ cameraId: null, microphoneId: null });
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [toggles, setToggles] = useState(initial);
  const handedOver = useRef(false);
  const level = useMicLevel(stream);

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    openLocalMedia(choice).then(
      async (media) => {
        if (cancelled) return media.getTracks().forEach((track) => track.stop());
        opened = media;
        setStream(media);
        setError(media.getVideoTracks().length === 0 ? t('meeting.noCamera') : null);
        setDevices(await navigator.mediaDevices.enumerateDevices());
      },
      () => !cancelled && setError(t('meeting.mediaDenied')),
    );
    return () => {
      cancelled = true;
      // The stream handed to the room lives on; a preview replaced by another device choice stops.
      if (opened && !handedOver.current) opened.getTracks().forEach((track) => track.stop());
    };
  }, [choice, t]);

  useEffect(() => {
    if (video.current) video.current.srcObject = stream;
    if (stream) applyMediaState(stream, toggles);
  }, [stream, toggles]);

  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const microphones = devices.filter((d) => d.kind === 'audioinput');
  const others = participants.filter((p) => p.userId !== join.userId);

  return (
    <main className="page page-prejoin">
      <section className="prejoin" aria-labelledby="prejoin-title">
        <div className="prejoin-preview">
          <div className="preview">
            <video ref={video} hidden={toggles.cameraOff} className="mirrored" autoPlay playsInline muted aria-label={t('meeting.you')} />
            {toggles.cameraOff && (
              <div className="tile-avatar">
                <Avatar name={join.userName} size="large" />
              </div>
            )}
            <div className="preview-toggles">
              <button type="button" className={`round-toggle ${toggles.muted ? 'off' : ''}`} onClick={() => setToggles({ ...toggles, muted: !toggles.muted })} title={toggles.muted ? t('meeting.unmute') : t('meeting.mute')}>
                {toggles.muted ? <MicOff aria-hidden="true" /> : <Mic aria-hidden="true" />}
                <span className="visually-hidden">{toggles.muted ? t('meeting.unmute') : t('meeting.mute')}</span>
              </button>
              <button type="button" className={`round-toggle ${toggles.cameraOff ? 'off' : ''}`} onClick={() => setToggles({ ...toggles, cameraOff: !toggles.cameraOff })} title={toggles.cameraOff ? t('meeting.cameraOn') : t('meeting.cameraOff')}>
                {toggles.cameraOff ? <VideoOff aria-hidden="true" /> : <Video aria-hidden="true" />}
                <span className="visually-hidden">{toggles.cameraOff ? t('meeting.cameraOn') : t('meeting.cameraOff')}</span>
              </button>
            </div>
          </div>
          <div className="meter" role="meter" aria-label={t('meeting.micLevel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={toggles.muted ? 0 : Math.round(level * 100)}>
            <div className="meter-fill" style={{ width: `${toggles.muted ? 0 : Math.min(100, Math.round(level * 250))}%` }} />
          </div>
          <div className="device-pickers">
            <DevicePicker label={t('meeting.camera')} devices={cameras} value={stream?.getVideoTracks()[0]?.getSettings().deviceId ?? ''} onChange={(cameraId) => setChoice((c) => ({ ...c, cameraId }))} />
            <DevicePicker label={t('meeting.microphone')} devices={microphones} value={stream?.getAudioTracks()[0]?.getSettings().deviceId ?? ''} onChange={(microphoneId) => setChoice((c) => ({ ...c, microphoneId }))} />
          </div>
        </div>
        <div className="prejoin-side">
          <h1 id="prejoin-title">{t('meeting.ready')}</h1>
          <p className="muted">{t('meeting.title', { type: join.sessionType, name: join.peer.name })}</p>
          <p className="prejoin-who" role="status">
            {others.length > 0 ? (
              <>
                <Avatar name={others[0]!.name} size="small" /> {t('meeting.inCall', { name: others[0]!.name })}
              </>
            ) : (
              t('meeting.nobodyYet')
            )}
          </p>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <div className="prejoin-actions">
            <button
              type="button"
              className="button primary"
              disabled={!stream}
              onClick={() => {
                if (!stream) return;
                handedOver.current = true;
                onJoin(stream, toggles);
              }}
            >
              {t('meeting.joinNow')}
            </button>
            <button type="button" className="button ghost" onClick={onCancel}>
              {t('meeting.cancel')}
            </button>
          </div>
        </div>
      </section>
    </main>
  );
}
