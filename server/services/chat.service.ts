/**
 * The in-call chat: messages between the two participants of a live session, kept with the session
 * (shown again after a reload or rejoin) and dropped when it ends. No socket code here.
 */
import { randomBytes } from 'node:crypto';
import { isSessionLive, type ChatMessageRecord, type SessionRecord } from '../store/records';
import type { ChatMessage } from '@contract/socket-events';
import type { ClassroomStore } from '../store/classroom-store';
import { isoAt, type Clock } from './clock';

/** A whole session's conversation stays small; beyond this the chat is full. */
export const CHAT_MESSAGES_PER_SESSION = 500;

export type ParticipantCheck = { ok: true; session: SessionRecord } | { ok: false; code: 'SESSION_NOT_LIVE' | 'FORBIDDEN'; message: string };

export class ChatService {
  constructor(
    private readonly store: ClassroomStore,
    private readonly clock: Clock,
  ) {}

  /** The live session, if the user is one of its two participants. */
  async participantSession(sessionId: string, userId: string): Promise<ParticipantCheck> {
    const session = await this.store.getSession(sessionId);
    if (!session || !isSessionLive(session, this.clock())) return { ok: false, code: 'SESSION_NOT_LIVE', message: 'This session is not live.' };
    if (session.mentor_id !== userId && session.student_id !== userId) return { ok: false, code: 'FORBIDDEN', message: 'You are not a participant of this session.' };
    return { ok: true, session };
  }

  /** Stores a message; null when the session's chat is full. */
  async send(session: SessionRecord, from: { userId: string; name: string }, text: string): Promise<ChatMessage | null> {
    const record: ChatMessageRecord = { id: `msg_${randomBytes(9).toString('base64url')}`, session_id: session.id, user_id: from.userId, text, sent_at: isoAt(this.clock()) };
    if (!(await this.store.appendChatMessage(record, CHAT_MESSAGES_PER_SESSION))) return null;
    return toMessage(record, from.name);
  }

  async history(session: SessionRecord): Promise<ChatMessage[]> {
    const names = new Map<string, string>();
    for (const userId of [session.mentor_id, session.student_id]) names.set(userId, (await this.store.getUser(userId))?.name ?? userId);
    return (await this.store.listChatMessages(session.id)).map((record) => toMessage(record, names.get(record.user_id) ?? record.user_id));
  }
}

const toMessage = (record: ChatMessageRecord, fromName: string): ChatMessage => ({
  id: record.id,
  sessionId: record.session_id,
  from: record.user_id,
  fromName,
  text: record.text,
  sentAt: record.sent_at,
});
