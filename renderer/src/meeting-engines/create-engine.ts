/**
 * The one place that picks a media engine for a room: ZEGOCLOUD when the server minted ZEGO
 * tokens, otherwise the built-in peer-to-peer engine over our own socket.
 */
import type { RealtimeConnection } from '../services/realtime';
import { P2pMeetingEngine } from './p2p';
import type { EngineContext, MeetingEngine } from './types';
import { ZegoLoginTimeoutError, ZegoMeetingEngine, ZegoTokenError } from './zego';

export function createMeetingEngine(context: EngineContext, realtime: RealtimeConnection | null): MeetingEngine {
  if (context.join.engine === 'zego' || !realtime) return new ZegoMeetingEngine(context);
  return new P2pMeetingEngine(realtime, context);
}

/** An engine failure in words the person can act on (null: not an engine-specific failure). */
export function engineFailureKey(error: unknown): { key: 'meeting.zegoTimeout' | 'meeting.zegoToken'; values?: { code: number | string } } | null {
  if (error instanceof ZegoLoginTimeoutError) return { key: 'meeting.zegoTimeout' };
  if (error instanceof ZegoTokenError) return { key: 'meeting.zegoToken', values: { code: error.code } };
  return null;
}
