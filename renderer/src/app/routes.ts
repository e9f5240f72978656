/** Route paths and the meeting URL (docs/interface.md §4: /meeting?roomId=…&token=…&role=…). */
import type { Role } from '@contract/domain';

export const PATHS = {
  login: '/login',
  setPassword: '/set-password',
  schedule: '/schedule',
  pastSessions: '/past-sessions',
  inbox: '/inbox',
  meeting: '/meeting',
  settings: '/settings',
  devices: '/devices',
} as const;

export const homePathFor = (role: Role) => (role === 'mentor' ? PATHS.schedule : PATHS.inbox);

/** Tokens contain `+ / =`: URLSearchParams encodes them. sessionId is our addition, for join/end. */
export function meetingUrl(params: { roomId: string; token: string; role: Role; sessionId?: string }): string {
  const query = new URLSearchParams({ roomId: params.roomId, token: params.token, role: params.role });
  if (params.sessionId) query.set('sessionId', params.sessionId);
  return `${PATHS.meeting}?${query.toString()}`;
}

/** Only our own paths may follow sign-in (no open redirect to another site). */
export function safeNextPath(next: string | null): string | null {
  if (!next || !next.startsWith('/') || next.startsWith('//') || next.includes('\\')) return null;
  return next;
}
