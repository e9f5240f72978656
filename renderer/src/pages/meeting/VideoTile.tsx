import { useEffect, useRef } from 'react';
import { MicOff } from 'lucide-react';
import { Avatar } from '../../components/Avatar';

interface VideoTileProps {
  stream: MediaStream | null;
  name: string;
  /** Shown on the tile (the person's name, or "You"). */
  label: string;
  cameraOff: boolean;
  micMuted?: string | null;
  note?: string | null;
  self?: boolean;
  mirrored?: boolean;
}

/** A person's video with their name; their initials when the camera is off or there is no video yet. */
export function VideoTile({ stream, name, label, cameraOff, micMuted, note, self, mirrored }: VideoTileProps) {
  const ref = useRef<HTMLVideoElement>(null);
  useEffect(() => {
    if (ref.current && ref.current.srcObject !== stream) ref.current.srcObject = stream;
  }, [stream]);
  const showVideo = stream !== null && !cameraOff;
  return (
    <figure className={`tile ${self ? 'tile-self' : 'tile-remote'}`}>
      <video ref={ref} className={mirrored ? 'mirrored' : undefined} hidden={!showVideo} autoPlay playsInline muted={self} aria-label={label} />
      {!showVideo && (
        <div className="tile-avatar">
          <Avatar name={name} size={self ? 'medium' : 'large'} />
        </div>
      )}
      {(note || micMuted) && (
        <div className="tile-notes">
          {note && <div className="tile-note">{note}</div>}
          {micMuted && (
            <div className="tile-badge">
              <MicOff aria-hidden="true" size={14} /> {micMuted}
            </div>
          )}
        </div>
      )}
      <figcaption className="tile-name">{label}</figcaption>
    </figure>
  );
}
