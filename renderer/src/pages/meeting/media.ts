/** Camera and microphone for the chosen devices (audio-only when there is no camera). */
export interface DeviceChoice {
  cameraId: string | null;
  microphoneId: string | null;
}

export async function openLocalMedia(choice: DeviceChoice): Promise<MediaStream> {
  const audio: MediaTrackConstraints | boolean = choice.microphoneId ? { deviceId: { exact: choice.microphoneId }, echoCancellation: true, noiseSuppression: true } : true;
  const video: MediaTrackConstraints | boolean = choice.cameraId ? { deviceId: { exact: choice.cameraId }, width: { ideal: 1280 }, height: { ideal: 720 } } : { width: { ideal: 1280 }, height: { ideal: 720 } };
  try {
    return await navigator.mediaDevices.getUserMedia({ audio, video });
  } catch (error) {
    const name = (error as DOMException).name;
    // A remembered device that is gone, or no camera at all: fall back rather than fail.
    if (name === 'OverconstrainedError' && (choice.cameraId || choice.microphoneId)) return openLocalMedia({ cameraId: null, microphoneId: null });
    if (name === 'NotFoundError' || name === 'OverconstrainedError') return navigator.mediaDevices.getUserMedia({ audio, video: false });
    throw error;
  }
}

/** Microphone and camera on or off without renegotiating: the tracks stay, muted tracks send silence/black. */
export function applyMediaState(stream: MediaStream, state: { muted: boolean; cameraOff: boolean }): void {
  for (const track of stream.getAudioTracks()) track.enabled = !state.muted;
  for (const track of stream.getVideoTracks()) track.enabled = !state.cameraOff;
}

export function choiceOf(stream: MediaStream): DeviceChoice {
  return {
    cameraId: stream.getVideoTracks()[0]?.getSettings().deviceId ?? null,
    microphoneId: stream.getAudioTracks()[0]?.getSettings().deviceId ?? null,
  };
}
