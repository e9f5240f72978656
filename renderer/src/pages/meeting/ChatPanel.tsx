import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Send, X } from 'lucide-react';
import type { ChatMessage } from '@contract/socket-events';
import { formatClock, viewerTimeZone } from '../../app/time-format';

interface ChatPanelProps {
  messages: ChatMessage[];
  selfId: string;
  peerName: string;
  onSend(text: string): Promise<string | null>;
  onClose(): void;
}

/** The call's chat: only the two participants, kept with the session (shown again after a rejoin). */
export function ChatPanel({ messages, selfId, peerName, onSend, onClose }: ChatPanelProps) {
  const { t, i18n } = useTranslation();
  const [draft, setDraft] = useState('');
  const [error, setError] = useState<string | null>(null);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    list.current?.lastElementChild?.scrollIntoView({ block: 'end' });
  }, [messages.length]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    const failure = await onSend(text);
    if (failure) return setError(t('meeting.chatFailed', { reason: failure }));
    setError(null);
    setDraft('');
  };

  return (
    <aside className="chat-panel" aria-labelledby="chat-title">
      <header className="chat-header">
        <h2 id="chat-title">{t('meeting.chat')}</h2>
        <button type="button" className="icon-button" onClick={onClose} aria-label={t('meeting.closeChat')} title={t('meeting.closeChat')}>
          <X aria-hidden="true" size={18} />
        </button>
      </header>
      <p className="muted small chat-hint">{t('meeting.chatHint', { name: peerName })}</p>
      <ol className="chat-messages" ref={list} aria-live="polite">
        {messages.map((message) => (
          <li key={message.id} className={`chat-message ${message.from === selfId ? 'mine' : 'theirs'}`}>
            <span className="chat-meta">
              {message.from === selfId ? t('meeting.you') : message.fromName} · {formatClock(message.sentAt, i18n.language, viewerTimeZone())}
            </span>
            <span className="chat-text">{message.text}</span>
          </li>
        ))}
      </ol>
      {error && (
        <p className="error small" role="alert">
          {error}
        </p>
      )}
      <form className="chat-form" onSubmit={(e) => void submit(e)}>
        <input aria-label={t('meeting.message')} placeholder={t('meeting.message')} value={draft} maxLength={1000} onChange={(e) => setDraft(e.target.value)} />
        <button type="submit" className="button primary" disabled={!draft.trim()}>
          <Send aria-hidden="true" size={16} />
          <span>{t('meeting.send')}</span>
        </button>
      </form>
    </aside>
  );
}
