import { useId, useState } from 'react';
import { useApi } from '../../api/ApiContext';
import { ErrorPanel } from '../../components/ErrorPanel';
import { Loading } from '../../components/Loading';
import { hrefFor, navigate } from '../../hooks/useHashRoute';
import { useDebounced } from '../../hooks/useDebounced';
import { useLoad } from '../../hooks/useLoad';
import { AdminRolesTab } from './AdminRolesTab';
import { GroupsTab } from './GroupsTab';
import { PeopleTab, pageSize } from './PeopleTab';
import { SourcesNotice } from './SourcesNotice';

export type DirectoryTab = 'people' | 'admins' | 'groups';
const tabs: { id: DirectoryTab; label: string }[] = [
  { id: 'people', label: 'People' },
  { id: 'admins', label: 'Admin roles' },
  { id: 'groups', label: 'Groups' },
];

/**
 * The org directory as archived: people with their department, designation, roles and teams (each
 * with every interval and their history), who held an admin role when, and the groups. The tab is
 * in the address (`#/directory/admins`), so a reload or a shared link reopens it.
 */
export function DirectoryScreen({ tab }: { tab: DirectoryTab }) {
  const api = useApi();
  const filterId = useId();
  const [text, setText] = useState('');
  const [offset, setOffset] = useState(0);
  const query = useDebounced(JSON.stringify({ text: text.trim(), offset }), 250);
  const page = useLoad(() => {
    const { text: filter, offset: from } = JSON.parse(query) as { text: string; offset: number };
    return api.invoke('archive:directory', { ...(filter !== '' ? { text: filter } : {}), offset: from, limit: pageSize });
  }, query);

  return (
    <section className="screen directory-screen" aria-labelledby="directory-title">
      <header className="screen-head">
        <h1 id="directory-title">Directory</h1>
        <p className="muted">Departments, designations, roles and teams as the archive saw them at each sync, and who belonged when.</p>
      </header>
      {page.data !== undefined && <SourcesNotice sources={page.data.sources} />}
      <div role="tablist" aria-label="Directory views" className="tabs">
        {tabs.map((t) => (
          <button
            key={t.id}
            type="button"
            role="tab"
            id={`directory-tab-${t.id}`}
            aria-selected={tab === t.id}
            aria-controls={`directory-panel-${t.id}`}
            onClick={() => navigate(hrefFor('directory', t.id === 'people' ? [] : [t.id]), { replace: true })}
          >
            {t.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`directory-panel-${tab}`} aria-labelledby={`directory-tab-${tab}`}>
        {tab === 'people' && (
          <>
            <div className="filter-row">
              <label htmlFor={filterId}>Find people</label>
              <input
                id={filterId}
                type="search"
                placeholder="Name, e-mail or department…"
                value={text}
                onChange={(e) => {
                  setText(e.target.value);
                  setOffset(0);
                }}
              />
            </div>
            {page.state === 'error' && <ErrorPanel title="Could not read the directory" error={page.error} onRetry={page.reload} />}
            {page.data === undefined && page.state === 'loading' && <Loading label="Reading the directory…" />}
            {page.data !== undefined && (
              <div aria-busy={page.state === 'loading'}>
                <PeopleTab page={page.data} offset={offset} onOffset={setOffset} filtered={text.trim() !== ''} />
              </div>
            )}
          </>
        )}
        {tab === 'admins' && <AdminRolesTab />}
        {tab === 'groups' && <GroupsTab />}
      </div>
    </section>
  );
}

/** The tab a route names; people when it names none or an unknown one. */
export function directoryTab(segment: string | undefined): DirectoryTab {
  return tabs.find((t) => t.id === segment)?.id ?? 'people';
}
