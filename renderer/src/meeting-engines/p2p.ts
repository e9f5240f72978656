/**
 * The built-in engine: WebRTC straight between the two participants, signalled through our
 * Socket.IO server (which admits a socket to the room only with its own room token).
 * Whoever enters the room second makes the offer; the one already there answers (adding its
 * tracks after the offer, so they ride on the offered transceivers). "Perfect negotiation" (the
 * student is the polite peer) still settles the rare collision, e.g. both restarting ICE at once.
 * After a network drop the socket rejoins and offers a fresh connection with the same tracks, so
 * mute and camera state carry over.
 */
import type { RtcSignalData } from '@contract/socket-events';
import { logFailure } from '../app/log';
import type { RealtimeConnection } from '../services/realtime';
import { sampleOf, type StatsSample } from './quality';
import type { EngineContext, MeetingEngine } from './types';

export class P2pMeetingEngine implements MeetingEngine {
  private pc: RTCPeerConnection | null = null;
  private localStream: MediaStream | null = null;
  private screenTrack: MediaStreamTrack | null = null;
  private makingOffer = false;
  private ignoreOffer = false;
  private readonly polite: boolean;
  private readonly roomId: string;
  private token: string;
  private unsubscribe: Array<() => void> = [];
  private signalQueue: Promise<void> = Promise.resolve();
  private media = { audioMuted: false, cameraOff: false, screenSharing: false };
  private left = false;

  constructor(
    private readonly realtime: RealtimeConnection,
    private readonly context: EngineContext,
  ) {
    this.roomId = context.join.roomId;
    this.token = context.join.token;
    this.polite = context.join.role === 'student';
  }

  async join(localStream: MediaStream): Promise<void> {
    this.localStream = localStream;
    const mine = (roomId: string) => roomId === this.roomId;
    this.unsubscribe = [
      // The newcomer offers; until its offer arrives there is nothing to do but say so.
      // The other person (re)entered — perhaps from another window that took over: their offer
      // comes on a fresh connection, so the old one (to a window that has stepped back) is closed.
      this.realtime.onPeerJoined(({ roomId }) => {
        if (!mine(roomId)) return;
        this.closePeer();
        this.context.events.onConnectionState('connecting');
      }),
      this.realtime.onPeerLeft(({ roomId }) => {
        if (!mine(roomId)) return;
        this.closePeer();
        this.context.events.onRemoteStream(null);
        this.context.events.onConnectionState('waiting');
      }),
      this.realtime.onSignal(({ roomId, data }) => {
        if (!mine(roomId)) return;
        // One at a time, in order: a candidate must not overtake the description it belongs to.
        this.signalQueue = this.signalQueue
          .then(() => this.handleSignal(data))
          .catch((error: unknown) => logFailure('WebRTC: applying a signal from the other participant failed', error, { roomId, kind: data.kind }));
      }),
      this.realtime.onState((state) => {
        if (state === 'offline' && !this.left) this.context.events.onConnectionState('reconnecting');
      }),
      this.realtime.onReconnected(() => void this.enterRoom()),
    ];
    await this.enterRoom();
  }

  private async enterRoom(): Promise<void> {
    if (this.left) return;
    this.context.events.onConnectionState('connecting');
    let result = await this.realtime.rtcJoin(this.roomId, this.token);
    if (!result.ok && (result.code === 'TOKEN_INVALID' || result.code === 'TOKEN_EXPIRED')) {
      this.token = await this.context.renewToken();
      result = await this.realtime.rtcJoin(this.roomId, this.token);
    }
    if (!result.ok) {
      this.context.events.onConnectionState('failed', result.message);
      return;
    }
    // Entering (again): any old connection belongs to a previous socket and cannot recover.
    this.closePeer();
    if (result.peers.length > 0) {
      const pc = this.peerConnection();
      if (pc) this.addLocalTracks(pc); // → negotiationneeded → our offer
    } else this.context.events.onConnectionState('waiting');
  }

  private addLocalTracks(pc: RTCPeerConnection): void {
    if (pc.getSenders().some((sender) => sender.track)) return;
    for (const track of this.localStream?.getTracks() ?? []) {
      const outgoing = track.kind === 'video' && this.screenTrack ? this.screenTrack : track;
      pc.addTrack(outgoing, this.localStream!);
    }
  }

  /** The connection to the other participant, created on first need. */
  private peerConnection(): RTCPeerConnection | null {
    if (this.pc || this.left) return this.pc;
    const pc = new RTCPeerConnection({ iceServers: this.context.join.iceServers });
    this.pc = pc;
    pc.ontrack = ({ track, streams }) => {
      const stream = streams[0] ?? new MediaStream([track]);
      this.context.events.onRemoteStream(stream);
    };
    // Sent field by field: toJSON() is typed with an optional `candidate`, which the relay's schema requires.
    pc.onicecandidate = ({ candidate }) =>
      this.send({
        kind: 'candidate',
        candidate: candidate
          ? { candidate: candidate.candidate, sdpMid: candidate.sdpMid, sdpMLineIndex: candidate.sdpMLineIndex, usernameFragment: candidate.usernameFragment }
          : null,
      });
    pc.onnegotiationneeded = async () => {
      try {
        this.makingOffer = true;
        await pc.setLocalDescription();
        if (pc.localDescription) this.send({ kind: 'description', description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      } catch (error) {
        // Usually a newer negotiation superseded this one; the next offer carries on.
        logFailure('WebRTC: making an offer failed', error, { roomId: this.roomId, signalingState: pc.signalingState });
      } finally {
        this.makingOffer = false;
      }
    };
    pc.onconnectionstatechange = () => {
      if (this.pc !== pc) return;
      switch (pc.connectionState) {
        case 'connected':
          this.context.events.onConnectionState('connected');
          this.sendMediaState();
          break;
        case 'disconnected':
          this.context.events.onConnectionState('reconnecting');
          break;
        case 'failed':
          this.context.events.onConnectionState('reconnecting');
          pc.restartIce();
          break;
        default:
      }
    };
    this.context.events.onConnectionState('connecting');
    return pc;
  }

  private async handleSignal(data: RtcSignalData): Promise<void> {
    if (data.kind === 'media-state') {
      this.context.events.onRemoteMediaState({ audioMuted: data.audioMuted, cameraOff: data.cameraOff });
      return;
    }
    const pc = this.peerConnection();
    if (!pc) return;
    if (data.kind === 'description') {
      const description = data.description as RTCSessionDescriptionInit;
      const collision = description.type === 'offer' && (this.makingOffer || pc.signalingState !== 'stable');
      this.ignoreOffer = !this.polite && collision;
      if (this.ignoreOffer) return;
      await pc.setRemoteDescription(description); // the polite side rolls back implicitly
      if (description.type === 'offer') {
        this.addLocalTracks(pc);
        await pc.setLocalDescription();
        if (pc.localDescription) this.send({ kind: 'description', description: { type: pc.localDescription.type, sdp: pc.localDescription.sdp } });
      }
      return;
    }
    try {
      await pc.addIceCandidate(data.candidate ?? undefined);
    } catch (error) {
      if (!this.ignoreOffer) throw error;
    }
  }

  private send(data: RtcSignalData): void {
    this.realtime.rtcSignal(this.roomId, data);
  }

  private sendMediaState(): void {
    this.send({ kind: 'media-state', ...this.media });
  }

  private closePeer(): void {
    if (!this.pc) return;
    this.pc.ontrack = null;
    this.pc.onicecandidate = null;
    this.pc.onnegotiationneeded = null;
    this.pc.onconnectionstatechange = null;
    this.pc.close();
    this.pc = null;
    this.makingOffer = false;
    this.ignoreOffer = false;
  }

  setMicrophoneMuted(muted: boolean): void {
    this.media.audioMuted = muted;
    for (const track of this.localStream?.getAudioTracks() ?? []) track.enabled = !muted;
    this.sendMediaState();
  }

  setCameraOff(off: boolean): void {
    this.media.cameraOff = off;
    for (const track of this.localStream?.getVideoTracks() ?? []) track.enabled = !off;
    this.sendMediaState();
  }

  private async replaceOutgoingVideo(track: MediaStreamTrack | null): Promise<void> {
    const sender = this.pc?.getSenders().find((s) => s.track?.kind === 'video' || (s.track === null && track?.kind === 'video'));
    if (sender) await sender.replaceTrack(track);
  }

  async startScreenShare(): Promise<void> {
    if (this.screenTrack) return;
    const display = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
    const track = display.getVideoTracks()[0];
    if (!track) return;
    this.screenTrack = track;
    track.onended = () => {
      void this.stopScreenShare().then(() => this.context.events.onScreenShareEnded());
    };
    await this.replaceOutgoingVideo(track);
    this.media.screenSharing = true;
    this.sendMediaState();
  }

  async stopScreenShare(): Promise<void> {
    if (!this.screenTrack) return;
    const track = this.screenTrack;
    this.screenTrack = null;
    track.onended = null;
    track.stop();
    await this.replaceOutgoingVideo(this.localStream?.getVideoTracks()[0] ?? null);
    this.media.screenSharing = false;
    this.sendMediaState();
  }

  async sampleStats(): Promise<StatsSample | null> {
    if (!this.pc || this.pc.connectionState !== 'connected') return null;
    const report = await this.pc.getStats();
    return sampleOf(report.values() as Iterable<{ type: string }>);
  }

  async leave(): Promise<void> {
    if (this.left) return;
    this.left = true;
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    this.screenTrack?.stop();
    this.screenTrack = null;
    this.realtime.rtcLeave(this.roomId);
    this.closePeer();
  }
}
