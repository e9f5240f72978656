import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';

export interface DeviceChoice {
  cameraId: string | null;
  microphoneId: string | null;
}

/** Camera and microphone for the chosen devices (audio-only when there is no camera). */
export async function openLocalMedia(choice: DeviceChoice): Promise<MediaStream> {
  const audio: MediaTrackConstraints | boolean = choice.microphoneId ? { deviceId: { exact: choice.microphoneId }, echoCancellation: true, noiseSuppression: true } : true;
  const video: MediaTrackConstraints | boolean = choice.cameraId ? { deviceId: { exact: choice.cameraId }, width: { ideal: 1280 }, height: { ideal: 720 } } : { width: { ideal: 1280 }, height: { ideal: 720 } };
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video });
  } catch (error) {
    if ((error as DOMException).name === 'NotFoundError' || (error as DOMException).name === 'OverconstrainedError') {
      return navigator.mediaDevices.getUserMedia({ audio, video: false });
    }
    throw error;
  }
}

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

/** Preview, microphone level and device pickers before entering the room. */
export function DeviceCheck({ onReady, busy }: { onReady: (stream: MediaStream) => void; busy: boolean }) {
  const { t } = useTranslation();
  const video = useRef<HTMLVideoElement>(null);
  const [choice, setChoice] = useState<DeviceChoice>({ cameraId: null, microphoneId: null });
  const [devices, setDevices] = useState<MediaDeviceInfo[]>([]);
  const [stream, setStream] = useState<MediaStream | null>(null);
  const [error, setError] = useState<string | null>(null);
  const handedOver = useRef(false);
  const level = useMicLevel(stream);

  useEffect(() => {
    let cancelled = false;
    let opened: MediaStream | null = null;
    openLocalMedia(choice).then(
      async (media) => {
        if (cancelled) {
          media.getTracks().forEach((track) => track.stop());
          return;
        }
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
  }, [stream]);

  const cameras = devices.filter((d) => d.kind === 'videoinput');
  const microphones = devices.filter((d) => d.kind === 'audioinput');
  const currentCamera = stream?.getVideoTracks()[0]?.getSettings().deviceId ?? '';
  const currentMicrophone = stream?.getAudioTracks()[0]?.getSettings().deviceId ?? '';

  return (
    <section className="card device-check" aria-labelledby="device-check-title">
      <h2 id="device-check-title">{t('meeting.deviceCheck')}</h2>
      <div className="preview">
        <video ref={video} autoPlay playsInline muted aria-label={t('meeting.you')} />
      </div>
      <div className="meter" role="meter" aria-label={t('meeting.micLevel')} aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.round(level * 100)}>
        <div className="meter-fill" style={{ width: `${Math.min(100, Math.round(level * 250))}%` }} />
      </div>
      <div className="device-pickers">
        <DevicePicker label={t('meeting.camera')} devices={cameras} value={currentCamera} onChange={(cameraId) => setChoice((c) => ({ ...c, cameraId }))} />
        <DevicePicker label={t('meeting.microphone')} devices={microphones} value={currentMicrophone} onChange={(microphoneId) => setChoice((c) => ({ ...c, microphoneId }))} />
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button
        type="button"
        className="button primary"
        disabled={!stream || busy}
        onClick={() => {
          if (!stream) return;
          handedOver.current = true;
          onReady(stream);
        }}
      >
        {t('meeting.joinNow')}
      </button>
    </section>
  );
}
