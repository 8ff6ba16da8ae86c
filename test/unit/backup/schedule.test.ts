import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withCronBlock } from '../../../electron/core/schedule/cron';
import type { InstalledCli } from '../../../electron/core/schedule/installedCli';
import { planSchedule, type ScheduleKind } from '../../../electron/core/schedule/plan';
import type { SchedulePlatform } from '../../../electron/core/schedule/locations';
import { parseDays, scheduleSettingsSchema, type ScheduleSettingsInput } from '../../../shared/scheduleSettings';
import { useTempDir } from '../../helpers/tempDir';
import { child, parseXml, type XmlElement } from '../../helpers/xml';

const cli: InstalledCli = { node: '/opt/node 22/bin/node', cli: '/opt/cliq-vault/bin/cliq-vault.mjs', workdir: '/opt/cliq-vault' };
const secrets = { CLIQ_CLIENT_ID: '1000.SECRETCLIENTID', CLIQ_CLIENT_SECRET: 'topsecretclientsecret', CLIQ_REFRESH_TOKEN: '1000.refresh.tokenvalue' };
const env = { HOME: '/home/dana', XDG_CONFIG_HOME: '/home/dana/.cfg', ...secrets };

function settings(overrides: Partial<ScheduleSettingsInput> = {}) {
  return scheduleSettingsSchema.parse({
    archivePath: '/srv/Cliq Archives/acme.sqlite',
    backupDir: '/backups/cliq 100%',
    endpoints: { dc: 'eu' },
    quotas: ['maint.messages=6/10m'],
    maxRateWait: '30m',
    ...overrides,
  });
}

function plan(platform: SchedulePlatform, kind?: ScheduleKind, overrides: Partial<ScheduleSettingsInput> = {}) {
  return planSchedule({ settings: settings(overrides), platform, name: 'nightly', env, cli, uid: 501, ...(kind ? { kind } : {}) });
}

function fileOf(p: ReturnType<typeof plan>, suffix: string): string {
  const file = p.files.find((f) => f.path.endsWith(suffix));
  if (!file) throw new Error(`no file ending ${suffix} in ${p.files.map((f) => f.path).join(', ')}`);
  return file.content;
}

function expectNoSecrets(p: ReturnType<typeof plan>): void {
  const everything = [...p.files.map((f) => f.content), p.crontabBlock ?? '', p.envTemplate, ...p.manual, ...p.notes].join('\n');
  for (const value of Object.values(secrets)) expect(everything).not.toContain(value);
}

/** The string values of a plist dict, by key. */
function plistDict(dict: XmlElement | undefined): Map<string, XmlElement> {
  const entries = new Map<string, XmlElement>();
  const children = dict?.children ?? [];
  for (let i = 0; i + 1 < children.length; i += 2) entries.set(children[i]?.text ?? '', children[i + 1] as XmlElement);
  return entries;
}

describe('schedule settings', () => {
  it('reads days as people write them', () => {
    expect(parseDays('daily')).toHaveLength(7);
    expect(parseDays('mon-fri')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(parseDays('Weekends')).toEqual(['sat', 'sun']);
    expect(parseDays('fri-mon')).toEqual(['mon', 'fri', 'sat', 'sun']);
    expect(parseDays('monday, wed ,FRI')).toEqual(['mon', 'wed', 'fri']);
    for (const bad of ['', 'mo', 'someday', 'mon-tue-wed', 'mon,,tue']) expect(parseDays(bad), bad).toBeUndefined();
  });

  it('checks time, absolute paths, keep and endpoints', () => {
    expect(settings()).toMatchObject({ time: '02:30', keep: 7, days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] });
    expect(settings({ days: ['sun', 'mon', 'sun'] }).days).toEqual(['mon', 'sun']);
    expect(
      scheduleSettingsSchema.safeParse({
        archivePath: 'C:\\Archives\\a.sqlite',
        backupDir: '\\\\nas\\backups',
        endpoints: { apiBase: 'https://cliq.example/api', accountsBase: 'https://accounts.example' },
      }).success,
    ).toBe(true);
    for (const bad of [
      { time: '24:00' },
      { time: '2:30' },
      { archivePath: 'relative.sqlite' },
      { keep: 0 },
      { endpoints: { apiBase: 'https://x.example' } },
      { quotas: ['everything'] },
      { maxRateWait: 'soon' },
      { reactionsPerRun: -1 },
      { reactionsPerRun: 2.5 },
    ]) {
      expect(scheduleSettingsSchema.safeParse({ archivePath: '/a.sqlite', backupDir: '/b', endpoints: { dc: 'eu' }, ...bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

describe('OS scheduler entries', () => {
  const tempDir = useTempDir();

  it('systemd: a user timer (Persistent=true, OnCalendar from --time and --days) and a oneshot service with EnvironmentFile=', () => {
    const p = plan('linux');
    expect(p.files.map((f) => f.path)).toEqual([
      '/home/dana/.cfg/cliq-vault/nightly.sh',
      '/home/dana/.cfg/systemd/user/cliq-vault-nightly.service',
      '/home/dana/.cfg/systemd/user/cliq-vault-nightly.timer',
    ]);
    const timer = fileOf(p, '.timer');
    expect(timer).toMatch(/^\[Timer\]\nOnCalendar=\*-\*-\* 02:30:00\nPersistent=true\nUnit=cliq-vault-nightly\.service$/m);
    expect(timer).toMatch(/^\[Install\]\nWantedBy=timers\.target$/m);
    const service = fileOf(p, '.service');
    expect(service).toMatch(/^Type=oneshot$/m);
    expect(service).toMatch(/^WorkingDirectory=\/opt\/cliq-vault$/m);
    expect(service).toMatch(/^EnvironmentFile=\/home\/dana\/\.cfg\/cliq-vault\/nightly\.env$/m);
    expect(service).toMatch(/^ExecStart=\/bin\/sh \/home\/dana\/\.cfg\/cliq-vault\/nightly\.sh$/m);
    expect(service).toMatch(/^SuccessExitStatus=5$/m);
    expect(p.activation.map((s) => s.argv.join(' '))).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now cliq-vault-nightly.timer']);
    expect(fileOf(plan('linux', 'systemd', { time: '23:05', days: ['mon', 'wed'] }), '.timer')).toMatch(/^OnCalendar=Mon,Wed \*-\*-\* 23:05:00$/m);
    // Paths with spaces or % survive systemd's parsing.
    const odd = planSchedule({ settings: settings(), platform: 'linux', name: 'nightly', env: { HOME: '/home/d a%n' }, cli });
    expect(fileOf(odd, '.service')).toMatch(/^ExecStart=\/bin\/sh "\/home\/d a%%n\/\.config\/cliq-vault\/nightly\.sh"$/m);
    expectNoSecrets(p);
  });

  it("the job's sync carries the reaction checks per run when set, and the sync's default otherwise", () => {
    const script = (overrides: Partial<ScheduleSettingsInput>) => fileOf(plan('linux', 'systemd', overrides), '.sh');
    expect(script({ reactionsPerRun: 0 })).toMatch(/'--max-rate-wait' '30m' '--reactions-per-run' '0' '--changes-dir' '[^']+\/changes' '--json'/);
    expect(script({ reactionsPerRun: 500 })).toContain("'--reactions-per-run' '500'");
    expect(script({})).not.toContain('--reactions-per-run');
    expect(fileOf(plan('windows', undefined, { reactionsPerRun: 0 }), '.ps1')).toContain("'--reactions-per-run' '0'");
  });

  it("an encrypted archive's job names its key file for the sync and the backup, never a key", () => {
    const script = fileOf(plan('linux', 'systemd', { keyFile: '/home/dana/keys/acme vault.key' }), '.sh');
    expect(script).toContain("'sync' '--archive' '/srv/Cliq Archives/acme.sqlite' '--key-file' '/home/dana/keys/acme vault.key'");
    expect(script).toContain("'backup' '--archive' '/srv/Cliq Archives/acme.sqlite' '--key-file' '/home/dana/keys/acme vault.key' '--to'");
    expect(script).not.toContain('CLIQ_VAULT_KEY=');
    expect(fileOf(plan('windows', undefined, { keyFile: '/home/dana/acme.key' }), '.ps1')).toContain("'--key-file' '/home/dana/acme.key'");
    expect(fileOf(plan('linux', 'systemd'), '.sh')).not.toContain('--key-file');
    expect(() => settings({ keyFile: 'relative.key' })).toThrow();
  });

  it('cron: one marked crontab line for --time and --days, output to a log under XDG_STATE_HOME', () => {
    const p = planSchedule({ settings: settings({ time: '23:05', days: ['sun', 'sat'] }), platform: 'linux', kind: 'cron', name: 'nightly', env: { ...env, XDG_STATE_HOME: '/var/tmp/state' }, cli });
    expect(p.crontabBlock).toBe(
      '# BEGIN cliq-vault nightly (managed by `cliq-vault schedule --install`; edits between BEGIN and END are replaced)\n' +
        "5 23 * * 0,6 /bin/sh '/home/dana/.cfg/cliq-vault/nightly.sh' >> '/var/tmp/state/cliq-vault/nightly.log' 2>&1\n" +
        '# END cliq-vault nightly\n',
    );
    expect(p.files.map((f) => f.path)).toEqual(['/home/dana/.cfg/cliq-vault/nightly.sh']);
    expect(planSchedule({ settings: settings(), platform: 'linux', kind: 'cron', name: 'n', env: { HOME: '/h/50%' }, cli }).crontabBlock).toContain("/bin/sh '/h/50\\%/.config/cliq-vault/n.sh'");
    expectNoSecrets(p);
  });

  it('a crontab keeps every line of its own; our block is added once and replaced in place', () => {
    const block = (minute: number) => `# BEGIN cliq-vault nightly (managed)\n${minute} 2 * * * job\n# END cliq-vault nightly\n`;
    const mine = 'MAILTO=me@example.com\n# my backups\n0 1 * * * /usr/local/bin/other\n';
    const once = withCronBlock(mine, 'nightly', block(30));
    expect(once).toBe(`${mine}${block(30)}`);
    const twice = withCronBlock(`${once}15 4 * * * later-line`, 'nightly', block(45));
    expect(twice).toBe(`${mine}${block(45)}15 4 * * * later-line\n`);
    expect(withCronBlock(twice, 'nightly', block(45))).toBe(twice);
    const other = withCronBlock(twice, 'weekly', block(0).replace(/nightly/g, 'weekly'));
    expect(other.match(/# BEGIN cliq-vault/g)).toHaveLength(2);
    expect(withCronBlock('', 'nightly', block(30))).toBe(block(30));
  });

  it('launchd: a plist with the label, the job script, the working folder and StartCalendarInterval', () => {
    const p = plan('macos');
    const path = '/home/dana/Library/LaunchAgents/com.cliqvault.nightly.plist';
    expect(p.files.map((f) => f.path)).toEqual(['/home/dana/Library/Application Support/Cliq Vault/nightly.sh', path]);
    const root = parseXml(fileOf(p, '.plist'));
    expect(root.name).toBe('plist');
    const dict = plistDict(child(root, 'dict'));
    expect(dict.get('Label')?.text).toBe('com.cliqvault.nightly');
    expect(dict.get('ProgramArguments')?.children.map((c) => c.text)).toEqual(['/bin/sh', '/home/dana/Library/Application Support/Cliq Vault/nightly.sh']);
    expect(dict.get('WorkingDirectory')?.text).toBe('/opt/cliq-vault');
    const calendar = plistDict(dict.get('StartCalendarInterval'));
    expect([calendar.get('Hour')?.text, calendar.get('Minute')?.text]).toEqual(['2', '30']);
    expect(dict.has('EnvironmentVariables')).toBe(false);
    const weekly = plistDict(child(parseXml(fileOf(plan('macos', undefined, { days: ['sat', 'sun'] }), '.plist')), 'dict')).get('StartCalendarInterval');
    expect(weekly?.children.map((d) => plistDict(d).get('Weekday')?.text)).toEqual(['6', '0']);
    expect(p.activation.map((s) => s.argv.join(' '))).toEqual(['launchctl bootout gui/501/com.cliqvault.nightly', `launchctl bootstrap gui/501 ${path}`]);
    expectNoSecrets(p);
  });

  it('Windows: a Task Scheduler XML that parses, runs the PowerShell job daily or weekly, and starts when a run was missed', () => {
    const winEnv = { USERPROFILE: 'C:\\Users\\dana', APPDATA: 'C:\\Users\\dana\\AppData\\Roaming', ...secrets };
    const make = (days?: ScheduleSettingsInput['days']) =>
      planSchedule({
        settings: settings({ archivePath: 'D:\\Cliq & Co\\acme.sqlite', backupDir: 'E:\\backups', ...(days ? { days } : {}) }),
        platform: 'windows',
        name: 'nightly',
        env: winEnv,
        cli: { node: 'C:\\Program Files\\nodejs\\node.exe', cli: 'C:\\cliq-vault\\bin\\cliq-vault.mjs', workdir: 'C:\\cliq-vault' },
      });
    const p = make();
    expect(p.files.map((f) => [f.path, f.encoding])).toEqual([
      ['C:\\Users\\dana\\AppData\\Roaming\\Cliq Vault\\nightly.ps1', 'utf8'],
      ['C:\\Users\\dana\\AppData\\Roaming\\Cliq Vault\\nightly.xml', 'utf16le'],
    ]);
    const task = parseXml(fileOf(p, '.xml'));
    expect(task.attrs.xmlns).toBe('http://schemas.microsoft.com/windows/2004/02/mit/task');
    expect(child(task, 'Triggers', 'CalendarTrigger', 'StartBoundary')?.text).toBe('2026-01-01T02:30:00');
    expect(child(task, 'Triggers', 'CalendarTrigger', 'ScheduleByDay', 'DaysInterval')?.text).toBe('1');
    expect(child(task, 'Settings', 'StartWhenAvailable')?.text).toBe('true');
    expect(child(task, 'Settings', 'MultipleInstancesPolicy')?.text).toBe('IgnoreNew');
    expect(child(task, 'Actions', 'Exec', 'Command')?.text).toBe('powershell.exe');
    expect(child(task, 'Actions', 'Exec', 'Arguments')?.text).toBe('-NoProfile -NonInteractive -ExecutionPolicy Bypass -File "C:\\Users\\dana\\AppData\\Roaming\\Cliq Vault\\nightly.ps1"');
    expect(child(task, 'Actions', 'Exec', 'WorkingDirectory')?.text).toBe('C:\\cliq-vault');
    expect(child(task, 'RegistrationInfo', 'Description')?.text).toContain('D:\\Cliq & Co\\acme.sqlite');
    const weekly = parseXml(fileOf(make(['mon', 'fri']), '.xml'));
    expect(child(weekly, 'Triggers', 'CalendarTrigger', 'ScheduleByWeek', 'DaysOfWeek')?.children.map((d) => d.name)).toEqual(['Monday', 'Friday']);
    const script = fileOf(p, '.ps1');
    expect(script).toContain("& 'C:\\Program Files\\nodejs\\node.exe' 'C:\\cliq-vault\\bin\\cliq-vault.mjs' 'sync' '--archive' 'D:\\Cliq & Co\\acme.sqlite' '--dc' 'eu'");
    expect(script).toContain("'backup' '--archive' 'D:\\Cliq & Co\\acme.sqlite' '--to' 'E:\\backups' '--keep' '7' '--json' *>> $log");
    expect(p.manual).toEqual(['schtasks /Create /TN "Cliq Vault nightly" /XML "C:\\Users\\dana\\AppData\\Roaming\\Cliq Vault\\nightly.xml" /F']);
    expectNoSecrets(p);
  });

  it("refuses a kind that is not the platform's and a name that is not plain", () => {
    expect(() => plan('macos', 'systemd')).toThrow(/--kind systemd is not a scheduler of macos/);
    expect(() => plan('linux', 'task')).toThrow(/not a scheduler of linux/);
    expect(() => planSchedule({ settings: settings(), platform: 'linux', name: 'Nightly Job', env, cli })).toThrow(/--name/);
  });

  /**
   * The job script, run for real by /bin/sh with a fake `node` that logs its arguments and the
   * credentials it sees, and exits with the code asked for each command.
   */
  function runJob(options: { syncExit: number; backupExit: number; envFile?: string; inherit?: Record<string, string> }) {
    const dir = tempDir();
    const log = join(dir, 'calls.log');
    const fakeNode = join(dir, 'node');
    writeFileSync(fakeNode, `#!/bin/sh\necho "$2 \${CLIQ_REFRESH_TOKEN:-none} $PWD" >> '${log}'\nif [ "$2" = sync ]; then exit ${options.syncExit}; fi\nexit ${options.backupExit}\n`);
    chmodSync(fakeNode, 0o755);
    const home = join(dir, 'home');
    const p = planSchedule({ settings: settings(), platform: 'linux', name: 'nightly', env: { HOME: home }, cli: { node: fakeNode, cli: join(dir, 'cliq-vault.mjs'), workdir: dir } });
    const script = join(dir, 'nightly.sh');
    writeFileSync(script, p.files[0]?.content ?? '');
    if (options.envFile !== undefined) {
      mkdirSync(join(home, '.config', 'cliq-vault'), { recursive: true });
      writeFileSync(p.envFile, options.envFile);
    }
    const result = spawnSync('/bin/sh', [script], { env: { PATH: '/usr/bin:/bin', ...options.inherit }, encoding: 'utf8' });
    const calls = existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : [];
    return { status: result.status, stderr: result.stderr, calls, dir };
  }

  it("the job script syncs, then backs up even after a partial sync, and exits with the sync's code", () => {
    const partial = runJob({ syncExit: 5, backupExit: 0, envFile: 'CLIQ_CLIENT_ID=a\nCLIQ_CLIENT_SECRET=b\nCLIQ_REFRESH_TOKEN=from-env-file\n' });
    expect(partial.status).toBe(5);
    expect(partial.calls).toEqual([`sync from-env-file ${partial.dir}`, `backup from-env-file ${partial.dir}`]);
    expect(runJob({ syncExit: 0, backupExit: 1, envFile: 'CLIQ_REFRESH_TOKEN=x\n' }).status).toBe(1);
    // systemd has loaded EnvironmentFile= already: the script uses what it was given.
    const loaded = runJob({ syncExit: 0, backupExit: 0, inherit: { CLIQ_REFRESH_TOKEN: 'from-systemd' } });
    expect(loaded.status).toBe(0);
    expect(loaded.calls.map((c) => c.split(' ').slice(0, 2).join(' '))).toEqual(['sync from-systemd', 'backup from-systemd']);
  });

  it('the job script without credentials exits 4 and says which file to create', () => {
    const result = runJob({ syncExit: 0, backupExit: 0 });
    expect(result.status).toBe(4);
    expect(result.stderr).toMatch(/no credentials: create .*nightly\.env \(chmod 600\) with CLIQ_CLIENT_ID, CLIQ_CLIENT_SECRET and CLIQ_REFRESH_TOKEN/);
    expect(result.calls).toEqual([]);
  });
});
