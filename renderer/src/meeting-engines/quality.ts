/**
 * Connection quality from WebRTC statistics (`RTCPeerConnection.getStats()`): packet loss of what
 * we receive and the round-trip time of the active candidate pair, compared between two samples.
 * Thresholds follow the usual VoIP guidance (loss above ~2 % is audible, above ~8 % breaks video;
 * RTT above ~200 ms is noticeable, above ~400 ms disturbs conversation).
 */
export type QualityLevel = 'good' | 'fair' | 'poor';

export interface StatsSample {
  packetsReceived: number;
  packetsLost: number;
  /** Round-trip time of the selected candidate pair, if known. */
  rttMs: number | null;
}

interface StatLike {
  type: string;
  kind?: string;
  packetsReceived?: number;
  packetsLost?: number;
  state?: string;
  nominated?: boolean;
  currentRoundTripTime?: number;
}

/** Sums inbound RTP and reads the nominated, succeeded candidate pair of one stats report. */
export function sampleOf(stats: Iterable<StatLike>): StatsSample {
  const sample: StatsSample = { packetsReceived: 0, packetsLost: 0, rttMs: null };
  for (const report of stats) {
    if (report.type === 'inbound-rtp') {
      sample.packetsReceived += report.packetsReceived ?? 0;
      sample.packetsLost += Math.max(0, report.packetsLost ?? 0);
    } else if (report.type === 'candidate-pair' && report.state === 'succeeded' && report.nominated && report.currentRoundTripTime !== undefined) {
      sample.rttMs = report.currentRoundTripTime * 1000;
    }
  }
  return sample;
}

/** The quality over the interval between two samples; null when nothing was received in it. */
export function qualityBetween(previous: StatsSample, current: StatsSample): QualityLevel | null {
  const received = current.packetsReceived - previous.packetsReceived;
  const lost = Math.max(0, current.packetsLost - previous.packetsLost);
  if (received + lost <= 0) return current.rttMs === null ? null : levelOf(0, current.rttMs);
  return levelOf(lost / (received + lost), current.rttMs ?? 0);
}

function levelOf(lossRatio: number, rttMs: number): QualityLevel {
  if (lossRatio > 0.08 || rttMs > 400) return 'poor';
  if (lossRatio > 0.02 || rttMs > 200) return 'fair';
  return 'good';
}
