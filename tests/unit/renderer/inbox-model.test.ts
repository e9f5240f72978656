import { describe, expect, it } from 'vitest';
import type { SessionNotification } from '@contract/api';
import { emptyInbox, inboxReducer, ringStateAt, shouldAnnounce } from '../../../renderer/src/pages/inbox/inbox-model';

const ring = (sessionId: string, token = 't1'): SessionNotification => ({
  sessionId,
  roomId: `room_${sessionId}`,
  token,
  mentorName: 'Nguyễn Văn Minh',
  sessionType: 'Speaking Practice',
  startTime: '09:00',
  endTime: '10:00',
  startsAt: '2026-11-23T02:00:00.000Z',
  endsAt: '2026-11-23T03:00:00.000Z',
  ring: { state: 'ringing', attempt: 1, startedAt: '2026-11-23T02:00:00.000Z', ringsUntil: '2026-11-23T02:03:00.000Z', declineReason: null, answeredAt: null },
  message: 'Your mentor has started the session!',
  expiresAt: '2026-11-25T10:00:00.000Z',
});

describe('inbox reducer', () => {
  it('shows one entry per sessionId however often it is delivered, keeping the newest token', () => {
    let state = inboxReducer(emptyInbox, { type: 'notified', notification: ring('a') });
    state = inboxReducer(state, { type: 'notified', notification: ring('a', 't2') });
    state = inboxReducer(state, { type: 'loaded', sessions: [ring('a', 't2'), ring('b')] });
    state = inboxReducer(state, { type: 'notified', notification: ring('b') });
    expect(state.entries.map((e) => e.sessionId)).toEqual(['a', 'b']);
    expect(state.entries[0]!.token).toBe('t2');
  });

  it('announces (OS notification) only the first delivery of each ring of a session; Ring again rings anew', () => {
    let state = inboxReducer(emptyInbox, { type: 'notified', notification: ring('a') });
    expect(shouldAnnounce(state, 'a', 1)).toBe(true);
    state = inboxReducer(state, { type: 'announced', sessionId: 'a', attempt: 1 });
    state = inboxReducer(state, { type: 'notified', notification: ring('a') });
    expect(shouldAnnounce(state, 'a', 1)).toBe(false);
    expect(shouldAnnounce(state, 'a', 2)).toBe(true);
    expect(shouldAnnounce(state, 'b', 1)).toBe(true);
  });

  it('follows the ring: an answer is not undone by a late re-delivery, a newer attempt replaces it, a ring past its time is missed', () => {
    let state = inboxReducer(emptyInbox, { type: 'notified', notification: ring('a') });
    const declined = { ...ring('a').ring, state: 'declined' as const, declineReason: 'Running 5 minutes late' };
    state = inboxReducer(state, { type: 'ring', sessionId: 'a', ring: declined });
    state = inboxReducer(state, { type: 'notified', notification: ring('a') });
    expect(state.entries[0]!.ring.state).toBe('declined');
    state = inboxReducer(state, { type: 'notified', notification: { ...ring('a'), ring: { ...ring('a').ring, attempt: 2 } } });
    expect(state.entries[0]!.ring).toMatchObject({ state: 'ringing', attempt: 2 });
    expect(ringStateAt(state.entries[0]!.ring, Date.parse('2026-11-23T02:02:59.000Z'))).toBe('ringing');
    expect(ringStateAt(state.entries[0]!.ring, Date.parse('2026-11-23T02:03:00.000Z'))).toBe('missed');
  });

  it('drops an entry when its session ends, and only that one', () => {
    let state = inboxReducer(emptyInbox, { type: 'loaded', sessions: [ring('a'), ring('b')] });
    state = inboxReducer(state, { type: 'ended', sessionId: 'a' });
    expect(state.entries.map((e) => e.sessionId)).toEqual(['b']);
  });
});
