import type { DirectoryGroup, DirectoryKind } from '../../../shared/evidence';
import { MultiPick } from './MultiPick';

/** The directory filters of a search or an audit: group ids per kind (the core also takes names). */
export interface GroupSelection {
  departments: string[];
  designations: string[];
  teams: string[];
  roles: string[];
}

export const noGroups: GroupSelection = { departments: [], designations: [], teams: [], roles: [] };

const pickers: { field: keyof GroupSelection; kind: DirectoryKind; legend: string }[] = [
  { field: 'departments', kind: 'department', legend: 'Departments' },
  { field: 'designations', kind: 'designation', legend: 'Designations' },
  { field: 'teams', kind: 'team', legend: 'Teams' },
  { field: 'roles', kind: 'role', legend: 'Roles' },
];

/** How many groups are picked, over the four kinds. */
export function groupsPicked(selection: GroupSelection): number {
  return pickers.reduce((n, { field }) => n + selection[field].length, 0);
}

/** The query fields of a selection: only the kinds with something picked. */
export function groupQuery(selection: GroupSelection): Partial<GroupSelection> {
  return Object.fromEntries(pickers.filter(({ field }) => selection[field].length > 0).map(({ field }) => [field, selection[field]]));
}

/**
 * Pickers for departments, designations, teams and roles (from archive:groups): keep the messages
 * sent by someone while they were in any group picked. Names are Cliq's data, shown as text.
 */
export function GroupPicks({ groups, selection, onChange }: { groups: DirectoryGroup[]; selection: GroupSelection; onChange: (patch: Partial<GroupSelection>) => void }) {
  const picked = groupsPicked(selection);
  return (
    <details className="groups-pick">
      <summary>Departments, designations, teams and roles{picked > 0 ? ` (${picked})` : ''}</summary>
      <p className="muted">
        Only messages sent while the sender was in a group picked. Someone already in a group when it was first archived counts as in it for every earlier message: when they joined is unknown.
      </p>
      <div className="form-row">
        {pickers.map(({ field, kind, legend }) => (
          <MultiPick
            key={field}
            legend={legend}
            options={groups
              .filter((g) => g.kind === kind)
              .map((g) => ({ value: g.groupId, label: g.name ?? g.groupId, detail: `${g.members} now${g.goneAt !== null ? ' · gone from Cliq' : ''}${g.admin ? ' · admin' : ''}` }))}
            selected={selection[field]}
            onChange={(next) => onChange({ [field]: next })}
            emptyText={`No ${legend.toLowerCase()} archived`}
          />
        ))}
      </div>
    </details>
  );
}
