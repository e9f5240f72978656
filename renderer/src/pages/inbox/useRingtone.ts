/**
 * A ringtone made with Web Audio (no sound file to ship): a soft two-note chime every two seconds
 * while `ringing` and not muted. Browsers may hold audio until the page is touched; then it says
 * so (`blocked`) and starts on the first click or key.
 */
import { useEffect, useState } from 'react';

export type RingtoneState = 'silent' | 'playing' | 'muted' | 'blocked';

const CHIME_EVERY_MS = 2000;

function chime(context: AudioContext): void {
  const start = context.currentTime;
  [659.25, 880].forEach((frequency, index) => {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = 'sine';
    oscillator.frequency.value = frequency;
    const at = start + index * 0.28;
    gain.gain.setValueAtTime(0.0001, at);
    gain.gain.exponentialRampToValueAtTime(0.25, at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, at + 0.5);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(at);
    oscillator.stop(at + 0.55);
  });
}

export function useRingtone(ringing: boolean, muted: boolean): RingtoneState {
  const [state, setState] = useState<RingtoneState>('silent');
  useEffect(() => {
    if (!ringing) return setState('silent');
    if (muted) return setState('muted');
    if (typeof AudioContext === 'undefined') return setState('blocked');
    const context = new AudioContext();
    let timer: ReturnType<typeof setInterval> | undefined;
    const play = () => {
      if (context.state !== 'running') return setState('blocked');
      setState('playing');
      if (timer) return;
      chime(context);
      timer = setInterval(() => chime(context), CHIME_EVERY_MS);
    };
    const unlock = () => void context.resume().then(play);
    void context.resume().then(play);
    // A browser that wants a gesture first gets it from the next click or key anywhere on the page.
    window.addEventListener('pointerdown', unlock);
    window.addEventListener('keydown', unlock);
    return () => {
      clearInterval(timer);
      window.removeEventListener('pointerdown', unlock);
      window.removeEventListener('keydown', unlock);
      void context.close();
    };
  }, [ringing, muted]);
  return state;
}
