import { lazy, Suspense } from 'react';
import type { Route } from './hooks/useHashRoute';
import { Loading } from './components/Loading';
import { ConnectScreen } from './features/connect/ConnectScreen';
import { SyncScreen } from './features/sync/SyncScreen';
import { BrowseScreen } from './features/browse/BrowseScreen';
import { DirectoryScreen, directoryTab } from './features/directory/DirectoryScreen';
import { SearchScreen } from './features/search/SearchScreen';
import { AuditScreen } from './features/audit/AuditScreen';
import { CallsScreen } from './features/calls/CallsScreen';
import { ScheduleScreen } from './features/schedule/ScheduleScreen';
import { SettingsScreen } from './features/settings/SettingsScreen';
import { HoldsScreen } from './features/holds/HoldsScreen';
import { RetentionScreen } from './features/retention/RetentionScreen';
import { ReviewLogScreen } from './features/review/ReviewLogScreen';
import { ChangesScreen } from './features/changes/ChangesScreen';
import { ReviewSetsScreen } from './features/reviewSets/ReviewSetsScreen';

// The charting library is most of the bundle: load it when Insights is opened, not at first paint.
const InsightsScreen = lazy(() => import('./features/insights/InsightsScreen').then((m) => ({ default: m.InsightsScreen })));

export function ScreenView({ route }: { route: Route }) {
  switch (route.screen) {
    case 'connect':
      return <ConnectScreen />;
    case 'sync':
      return <SyncScreen />;
    case 'browse':
      return <BrowseScreen chatId={route.rest[0] ?? null} focus={parseKey(route.query.get('focus'))} />;
    case 'directory':
      return <DirectoryScreen tab={directoryTab(route.rest[0])} />;
    case 'search':
      return <SearchScreen params={route.query} />;
    case 'audit':
      return <AuditScreen params={route.query} />;
    case 'insights':
      return (
        <Suspense fallback={<Loading label="Loading charts…" />}>
          <InsightsScreen />
        </Suspense>
      );
    case 'calls':
      return <CallsScreen />;
    case 'schedule':
      return <ScheduleScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'holds':
      return <HoldsScreen />;
    case 'retention':
      return <RetentionScreen />;
    case 'review':
      return <ReviewLogScreen />;
    case 'changes':
      return <ChangesScreen />;
    case 'reviewSets':
      return <ReviewSetsScreen setId={parseSetId(route.rest[0])} params={route.query} />;
  }
}

/** Message keys are the archive's integer keys (not Cliq ids, which stay strings). */
function parseKey(text: string | null): number | null {
  if (text === null || !/^-?\d{1,16}$/.test(text)) return null;
  const key = Number(text);
  return Number.isSafeInteger(key) ? key : null;
}

/** `#/reviewSets/<id>`: a set's id is a positive integer; anything else is the list. */
function parseSetId(text: string | undefined): number | null {
  if (text === undefined || !/^[1-9]\d{0,9}$/.test(text)) return null;
  return Number(text);
}
