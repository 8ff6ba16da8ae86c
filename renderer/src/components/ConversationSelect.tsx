import { useApi } from '../api/ApiContext';
import { useLoad } from '../hooks/useLoad';

/** A conversation filter: every archived conversation by title (Cliq's text, shown as text), or all of them. */
export function ConversationSelect({ value, onChange, allLabel }: { value: string; onChange: (chatId: string) => void; allLabel: string }) {
  const api = useApi();
  const conversations = useLoad(() => api.invoke('archive:conversations', { limit: 10_000 }), 'conversations');
  return (
    <label>
      Conversation{' '}
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">{allLabel}</option>
        {(conversations.data ?? []).map((c) => (
          <option key={c.chatId} value={c.chatId}>
            {c.title ?? c.chatId} ({c.kind})
          </option>
        ))}
      </select>
    </label>
  );
}
