import { Command } from 'commander';
import { adminRoleHolders, directoryGroups, directoryIntervals, openArchiveDb, type DirectoryInterval } from '../../core/archive';
import { checkTimeZone } from '../../core/util';
import { defineFlags } from '../flagTable';
import { archivePath, jsonSpec, switchFlag, timeZoneSpec, keyFileSpec } from '../flags';
import { formatCount, processIo, type Io } from '../output';
import { when } from '../archiveReads';

const directoryFlags = defineFlags({
  archive: { flag: '--archive <path>', description: 'the archive file', schema: archivePath, required: true },
  keyFile: keyFileSpec,
  admins: {
    flag: '--admins',
    description: 'only who held an admin role (Admin, Cliq Admin or a custom admin role), from when to when',
    schema: switchFlag,
  },
  tz: timeZoneSpec('time zone of the times shown'),
  json: jsonSpec('print JSON'),
});

/**
 * `cliq-vault directory`: the org directory as archived — departments, designations, roles and
 * teams with their members, each membership an interval — or, with --admins, who held an admin
 * role when. A start shown as "member when first archived" means the person already belonged when
 * the group was first archived: when they joined is unknown.
 */
export function directoryCommand(io: Io = processIo): Command {
  return directoryFlags
    .register(
      new Command('directory')
        .summary('departments, designations, roles and teams, who belonged when; --admins: who held an admin role')
        .addHelpText(
          'after',
          '\nEach membership is an interval. "member when first archived": already a member when the group was first listed (joined earlier, date unknown);' +
            '\n"noticed <time>": a sync first saw it then (it began after the sync before). An end is when a sync noticed it gone.' +
            '\nNeeds the optional scopes ZohoCliq.Departments.READ, ZohoCliq.Designations.READ, ZohoCliq.Organisation.READ (roles) and ZohoCliq.Teams.READ at sync time.\n',
        ),
    )
    .action((raw: Record<string, unknown>) => {
      const flags = directoryFlags.parse(raw, 'directory');
      checkTimeZone(flags.tz);
      const db = openArchiveDb(flags.archive, { readonly: true });
      try {
        if (flags.admins) {
          const holders = adminRoleHolders(db);
          io.out(flags.json ? `${JSON.stringify({ adminRoleHolders: holders })}\n` : renderAdmins(holders, flags.tz));
          return;
        }
        const groups = directoryGroups(db);
        const intervals = directoryIntervals(db);
        io.out(flags.json ? `${JSON.stringify({ groups, intervals })}\n` : renderDirectory(groups, intervals, flags.tz));
      } finally {
        db.close();
      }
    });
}

/** An interval in words: "since …" / "… until …", the start's source said plainly. */
function span(i: DirectoryInterval, zone: string): string {
  const start = i.startSource === 'first_archived' ? `member when first archived on ${when(i.startNoticedAt, zone)}` : `noticed ${when(i.startNoticedAt, zone)}`;
  return i.endedAt === null ? `${start}, current` : `${start}, ended (noticed ${when(i.endedAt, zone)})`;
}

const person = (i: DirectoryInterval) => `${i.userName ?? '?'} <${i.email ?? '?'}> ${i.userId}`;

function renderDirectory(groups: ReturnType<typeof directoryGroups>, intervals: DirectoryInterval[], zone: string): string {
  if (groups.length === 0) return 'The archive holds no directory yet (sync with the directory scopes; see `cliq-vault directory --help`).\n';
  const byGroup = new Map<string, DirectoryInterval[]>();
  for (const i of intervals) {
    const key = `${i.kind}\n${i.groupId}`;
    byGroup.set(key, [...(byGroup.get(key) ?? []), i]);
  }
  const lines: string[] = [];
  for (const g of groups) {
    const flags = [g.isAdmin ? 'admin role' : '', g.goneAt !== null ? 'gone from Cliq' : ''].filter((f) => f !== '').join(', ');
    lines.push(`${g.kind} ${g.name ?? '(no name)'} ${g.groupId}: ${formatCount(g.members)} current${flags ? ` (${flags})` : ''}`);
    const detail = (i: DirectoryInterval) => (i.detailJson === '{"is_moderator":true}' ? ' moderator' : '');
    for (const i of byGroup.get(`${g.kind}\n${g.groupId}`) ?? []) lines.push(`    ${person(i)}${detail(i)}: ${span(i, zone)}`);
  }
  return `${lines.join('\n')}\n`;
}

function renderAdmins(holders: ReturnType<typeof adminRoleHolders>, zone: string): string {
  if (holders.length === 0) return 'No admin role holder is archived (roles need ZohoCliq.Organisation.READ at sync time).\n';
  const lines = ['Who held an admin role (Admin, Cliq Admin, custom admin), from when to when:'];
  for (const h of holders) lines.push(`  ${person(h)}  ${h.groupName ?? h.groupId} (${h.isCustomAdmin ? 'custom admin' : (h.profileType ?? '?')}): ${span(h, zone)}`);
  return `${lines.join('\n')}\n`;
}
