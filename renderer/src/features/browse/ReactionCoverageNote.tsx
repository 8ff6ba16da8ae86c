import { useApi } from '../../api/ApiContext';
import { useLoad } from '../../hooks/useLoad';
import { useTimeZone } from '../../VaultState';
import { describeReactionCoverage } from './reactionWording';

/** One line under the transcript's title: how many of its messages' reactions were read. */
export function ReactionCoverageNote({ chatId }: { chatId: string }) {
  const api = useApi();
  const timeZone = useTimeZone();
  const coverage = useLoad(() => api.invoke('archive:reactionCoverage', { chatId }), chatId);
  if (coverage.state === 'error') return <p className="muted reaction-coverage">Reactions coverage could not be read.</p>;
  if (coverage.state !== 'ready') return null;
  return <p className="muted reaction-coverage">{describeReactionCoverage(coverage.data, timeZone)}</p>;
}
