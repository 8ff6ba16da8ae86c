import { ConversationList } from './ConversationList';
import { TranscriptView } from './TranscriptView';

export function BrowseScreen({ chatId, focus }: { chatId: string | null; focus: number | null }) {
  return chatId === null ? <ConversationList /> : <TranscriptView key={chatId} chatId={chatId} focus={focus} />;
}
