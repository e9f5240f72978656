/**
 * Domain vocabulary shared by server, Electron main, preload and renderer.
 * Pure TypeScript: nothing from node, electron or the DOM may be imported here.
 */

export type Role = 'mentor' | 'student';
export type UserId = string;
export type SessionId = string;
export type RoomId = string;
export type SlotId = string;

/** Which media engine the room tokens are for: ZEGOCLOUD, or our built-in peer-to-peer WebRTC. */
export type MediaEngineKind = 'zego' | 'p2p';

/** The seed's session states. A session is "live" while not ended and not past `expires_at`. */
export type SessionStatus = 'created' | 'active' | 'ended';
export type SessionEndReason = 'ended_by_mentor' | 'expired';

/** What the mentor sees of a live session's ringing: sent → acknowledged by the student's app → student in the room. */
export type DeliveryState = 'notified' | 'delivered' | 'joined';

export interface PublicUser {
  id: UserId;
  role: Role;
  name: string;
}

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/** A weekly slot such as `mon-09-10`: weekday, start hour, end hour (wall clock in the mentor's time zone). */
export interface Slot {
  slotId: SlotId;
  day: Weekday;
  startHour: number;
  endHour: number;
}

export const SLOT_ID_PATTERN = /^(mon|tue|wed|thu|fri|sat|sun)-([01]\d|2[0-3])-([01]\d|2[0-4])$/;

/** Parses a slot id; undefined when it is not `day-HH-HH` with the end after the start. */
export function parseSlotId(slotId: string): Slot | undefined {
  const match = SLOT_ID_PATTERN.exec(slotId);
  if (!match) return undefined;
  const startHour = Number(match[2]);
  const endHour = Number(match[3]);
  if (endHour <= startHour) return undefined;
  return { slotId, day: match[1] as Weekday, startHour, endHour };
}

/** `9` → `"09:00"`: the seed's startTime / endTime format. */
export function formatHour(hour: number): string {
  return `${String(hour).padStart(2, '0')}:00`;
}
