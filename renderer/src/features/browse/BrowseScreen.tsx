import { EmptyState } from '../../components/EmptyState';
import { hrefFor } from '../../hooks/useHashRoute';
import { useVaultState } from '../../VaultState';
import { ConversationList } from './ConversationList';
import { TranscriptView } from './TranscriptView';

export function BrowseScreen({ chatId, focus }: { chatId: string | null; focus: number | null }) {
  const { info } = useVaultState();
  if (!info.archiveExists) {
    return (
      <section className="screen">
        <h1>Browse</h1>
        <EmptyState title="Nothing archived yet — run a sync">
          {info.activeProfile === null ? <a href={hrefFor('connect')}>Connect an org</a> : <a href={hrefFor('sync')}>Go to Sync</a>} to build the archive.
        </EmptyState>
      </section>
    );
  }
  return chatId === null ? <ConversationList /> : <TranscriptView key={chatId} chatId={chatId} focus={focus} />;
}
