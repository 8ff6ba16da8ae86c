import { useId, useState } from 'react';
import type { Assignment, DirectoryKind, DirectoryPage, DirectoryPerson } from '../../../../shared/evidence';
import { EmptyState } from '../../components/EmptyState';
import { HistoryDialog } from '../../components/HistoryDialog';
import { TableHead } from '../../components/TableHead';
import { formatCount, formatDateTime } from '../../format';
import { useTimeZone } from '../../VaultState';
import { endWords, kindNames, startWords } from './intervalWords';

/** People per page: a page of an org of 10,000 stays one small query and a short list. */
export const pageSize = 100;

const current = (person: DirectoryPerson, kind: DirectoryKind) =>
  person.assignments
    .filter((a) => a.kind === kind && a.end === null)
    .map((a) => a.groupName ?? a.groupId)
    .join(', ');

/** The people of one page, each expandable to every interval and their metadata history. */
export function PeopleTab({ page, offset, onOffset, filtered }: { page: DirectoryPage; offset: number; onOffset: (offset: number) => void; filtered: boolean }) {
  const timeZone = useTimeZone();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [history, setHistory] = useState<DirectoryPerson | null>(null);
  const toggle = (userId: string) =>
    setOpen((previous) => {
      const next = new Set(previous);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });

  if (page.total === 0) {
    return filtered ? <EmptyState title="No one matches">Try part of a name, an e-mail address, or a department's name.</EmptyState> : <EmptyState title="No people in the directory yet" />;
  }
  const last = Math.min(offset + page.people.length, page.total);
  return (
    <>
      <p className="muted" aria-live="polite">
        {formatCount(offset + 1)}–{formatCount(last)} of {formatCount(page.total)} people
      </p>
      <ul className="directory-people" aria-label="People">
        {page.people.map((person) => (
          <PersonItem key={person.userId} person={person} expanded={open.has(person.userId)} onToggle={() => toggle(person.userId)} onHistory={() => setHistory(person)} timeZone={timeZone} />
        ))}
      </ul>
      <nav className="pager" aria-label="Pages of people">
        <button type="button" disabled={offset === 0} onClick={() => onOffset(Math.max(0, offset - pageSize))}>
          Previous {pageSize}
        </button>
        <button type="button" disabled={last >= page.total} onClick={() => onOffset(offset + pageSize)}>
          Next {pageSize}
        </button>
      </nav>
      {history !== null && <HistoryDialog subject="user" subjectKey={history.userId} title={history.name ?? history.userId} onClose={() => setHistory(null)} />}
    </>
  );
}

function PersonItem({ person, expanded, onToggle, onHistory, timeZone }: { person: DirectoryPerson; expanded: boolean; onToggle: () => void; onHistory: () => void; timeZone: string }) {
  const detailsId = useId();
  const name = person.name ?? person.userId;
  const roles = current(person, 'role');
  return (
    <li className="directory-person">
      <div className="person-head">
        <button type="button" className="link" aria-expanded={expanded} aria-controls={detailsId} onClick={onToggle}>
          <span dir="auto">{name}</span>
        </button>
        {person.email !== null && (
          <span className="muted" dir="auto">
            {' '}
            {person.email}
          </span>
        )}
        {person.goneAt !== null && <span className="badge"> gone from Cliq {formatDateTime(person.goneAt, timeZone)}</span>}
        <dl className="facts compact">
          {(['department', 'designation', 'role', 'team'] as const).map((kind) => (
            <div key={kind}>
              <dt>{kind === 'role' ? 'Roles' : kind === 'team' ? 'Teams' : kindNames[kind]}</dt>
              <dd dir="auto">{(kind === 'role' ? roles : current(person, kind)) || '—'}</dd>
            </div>
          ))}
        </dl>
      </div>
      {expanded && (
        <div id={detailsId} className="person-details">
          {person.assignments.length === 0 ? (
            <p className="muted">No department, designation, role or team was ever listed for this person.</p>
          ) : (
            <table className="table" aria-label={`Assignments of ${name}`}>
              <TableHead columns={['Kind', 'Group', 'Start', 'End']} />
              <tbody>
                {person.assignments.map((a) => (
                  <AssignmentRow key={`${a.kind}|${a.groupId}|${a.startNoticedAt}`} assignment={a} timeZone={timeZone} />
                ))}
              </tbody>
            </table>
          )}
          <button type="button" onClick={onHistory}>
            History of {name}'s details
          </button>
        </div>
      )}
    </li>
  );
}

function AssignmentRow({ assignment: a, timeZone }: { assignment: Assignment; timeZone: string }) {
  return (
    <tr className={a.end === null ? undefined : 'muted'}>
      <td>{kindNames[a.kind]}</td>
      <td dir="auto">
        {a.groupName ?? a.groupId}
        {a.detail !== null && <span className="muted"> {a.detail}</span>}
      </td>
      <td>{startWords(a, timeZone)}</td>
      <td>{endWords(a.end, timeZone)}</td>
    </tr>
  );
}
