import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lastJson } from '../../helpers/cli';
import { runInProcess } from '../../helpers/inProcessCli';
import { useTempDir } from '../../helpers/tempDir';
import { parseXml } from '../../helpers/xml';

const secrets = { CLIQ_CLIENT_ID: '1000.SECRETCLIENTID', CLIQ_CLIENT_SECRET: 'topsecretclientsecret', CLIQ_REFRESH_TOKEN: '1000.refresh.tokenvalue' };

/**
 * A home folder, and a bin folder that is the whole PATH: fake `systemctl` and `crontab` that log
 * their calls (the crontab kept in a file), so no test touches the real user's systemd or crontab.
 */
function machine(tempDir: () => string, tools: ('systemctl' | 'crontab')[] = ['systemctl', 'crontab']) {
  const root = tempDir();
  const home = join(root, 'home');
  const bin = join(root, 'bin');
  mkdirSync(home);
  mkdirSync(bin);
  const calls = join(root, 'calls.log');
  const crontab = join(root, 'crontab.txt');
  if (tools.includes('systemctl')) {
    writeFileSync(join(bin, 'systemctl'), `#!/bin/sh\necho "systemctl $*" >> '${calls}'\n`);
    chmodSync(join(bin, 'systemctl'), 0o755);
  }
  if (tools.includes('crontab')) {
    writeFileSync(
      join(bin, 'crontab'),
      `#!/bin/sh\necho "crontab $*" >> '${calls}'\n` +
        `if [ "$1" = -l ]; then if [ -f '${crontab}' ]; then /bin/cat '${crontab}'; exit 0; fi; echo "no crontab for tester" >&2; exit 1; fi\n` +
        `if [ "$1" = - ]; then /bin/cat > '${crontab}'; exit 0; fi\nexit 2\n`,
    );
    chmodSync(join(bin, 'crontab'), 0o755);
  }
  const env = { HOME: home, XDG_CONFIG_HOME: join(home, 'cfg'), XDG_STATE_HOME: join(home, 'state'), PATH: bin, ...secrets };
  const log = () => (existsSync(calls) ? readFileSync(calls, 'utf8').trim().split('\n') : []);
  return { root, home, env, crontab, log };
}

function allFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const base = ['schedule', '--archive', '/srv/cliq/acme.sqlite', '--backup-dir', '/srv/cliq/backups', '--dc', 'eu'];

describe('the schedule command', () => {
  const tempDir = useTempDir();
  const run = (args: string[], env: NodeJS.ProcessEnv) => runInProcess(args, env);

  it('prints the entry for every platform and kind, writing nothing', async () => {
    const m = machine(tempDir);
    for (const [extra, expected] of [
      [['--platform', 'linux'], /^Persistent=true$/m],
      [['--platform', 'linux', '--kind', 'cron', '--time', '01:15', '--days', 'mon-fri'], /^15 1 \* \* 1,2,3,4,5 \/bin\/sh /m],
      [['--platform', 'macos'], /<key>StartCalendarInterval<\/key>/],
      [['--platform', 'windows'], /<CalendarTrigger>/],
    ] as const) {
      const result = await run([...base, ...extra], m.env);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toMatch(expected);
      expect(result.stdout).toMatch(/Nothing was written/);
      for (const value of Object.values(secrets)) expect(result.stdout).not.toContain(value);
    }
    const json = lastJson(await run([...base, '--platform', 'windows', '--json'], m.env)) as { files: { path: string; content: string }[] };
    expect(() => parseXml(json.files.find((f) => f.path.endsWith('.xml'))?.content ?? '')).not.toThrow();
    expect(allFiles(m.home)).toEqual([]);
    expect(m.log()).toEqual([]);
  });

  it('--install (systemd) writes the units under XDG_CONFIG_HOME, an empty private env file, and enables the timer', async () => {
    const m = machine(tempDir);
    const result = await run([...base, '--time', '03:45', '--keep', '14', '--install'], m.env);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const units = join(m.env.XDG_CONFIG_HOME, 'systemd', 'user');
    expect(readdirSync(units).sort()).toEqual(['cliq-vault-nightly.service', 'cliq-vault-nightly.timer']);
    const timer = readFileSync(join(units, 'cliq-vault-nightly.timer'), 'utf8');
    expect(timer).toMatch(/^OnCalendar=\*-\*-\* 03:45:00$/m);
    expect(timer).toMatch(/^Persistent=true$/m);
    const envFile = join(m.env.XDG_CONFIG_HOME, 'cliq-vault', 'nightly.env');
    expect(readFileSync(join(units, 'cliq-vault-nightly.service'), 'utf8')).toContain(`EnvironmentFile=${envFile}`);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    expect(readFileSync(envFile, 'utf8')).toMatch(/^CLIQ_REFRESH_TOKEN=$/m);
    const script = readFileSync(join(m.env.XDG_CONFIG_HOME, 'cliq-vault', 'nightly.sh'), 'utf8');
    expect(script).toMatch(/'backup' '--archive' '\/srv\/cliq\/acme\.sqlite' '--to' '\/srv\/cliq\/backups' '--keep' '14' '--json'/);
    // What each run changed goes beside the log the job appends to.
    expect(script).toMatch(/'--changes-dir' '[^']*\/cliq-vault\/changes'/);
    expect(m.log()).toEqual(['systemctl --user daemon-reload', 'systemctl --user enable --now cliq-vault-nightly.timer']);
    expect(result.stdout).toMatch(/Active: +yes/);
    for (const file of allFiles(m.home)) for (const value of Object.values(secrets)) expect(readFileSync(file, 'utf8'), file).not.toContain(value);

    // Installing again keeps the env file the admin filled in.
    writeFileSync(envFile, 'CLIQ_REFRESH_TOKEN=kept\n', { mode: 0o600 });
    expect((await run([...base, '--install'], m.env)).code).toBe(0);
    expect(readFileSync(envFile, 'utf8')).toBe('CLIQ_REFRESH_TOKEN=kept\n');
  });

  it('--install without systemctl writes the files, says exactly what to run, and exits 1', async () => {
    const m = machine(tempDir, []);
    const result = await run([...base, '--install'], m.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Ran: +systemctl --user daemon-reload → failed: systemctl: not found/);
    expect(result.stdout).toMatch(/Active: +NO — run these yourself:\n +systemctl --user daemon-reload\n +systemctl --user enable --now cliq-vault-nightly\.timer/);
    expect(existsSync(join(m.env.XDG_CONFIG_HOME, 'systemd', 'user', 'cliq-vault-nightly.timer'))).toBe(true);
  });

  it("--install --kind cron adds one marked block to the crontab, keeps the user's lines, and replaces the block on re-install", async () => {
    const m = machine(tempDir);
    writeFileSync(m.crontab, 'MAILTO=ops@example.com\n0 1 * * * /usr/local/bin/rotate-logs\n');
    const first = await run([...base, '--kind', 'cron', '--install'], m.env);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const again = await run([...base, '--kind', 'cron', '--time', '04:10', '--days', 'weekdays', '--install'], m.env);
    expect(again.code).toBe(0);
    const crontab = readFileSync(m.crontab, 'utf8');
    expect(crontab.match(/# BEGIN cliq-vault nightly/g)).toHaveLength(1);
    expect(crontab).toMatch(
      /^MAILTO=ops@example\.com\n0 1 \* \* \* \/usr\/local\/bin\/rotate-logs\n# BEGIN cliq-vault nightly .*\n10 4 \* \* 1,2,3,4,5 \/bin\/sh '.*\/cfg\/cliq-vault\/nightly\.sh' >> '.*\/state\/cliq-vault\/nightly\.log' 2>&1\n# END cliq-vault nightly\n$/,
    );
    expect(existsSync(join(m.env.XDG_STATE_HOME, 'cliq-vault'))).toBe(true);
    expect(m.log()).toEqual(['crontab -l', 'crontab -', 'crontab -l', 'crontab -']);
  });

  it('does not write a crontab it could not read', async () => {
    const m = machine(tempDir, []);
    writeFileSync(join(m.root, 'bin', 'crontab'), '#!/bin/sh\necho "crontab: cannot open spool" >&2\nexit 1\n');
    chmodSync(join(m.root, 'bin', 'crontab'), 0o755);
    const result = await run([...base, '--kind', 'cron', '--install'], m.env);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/The block for your crontab:\n +# BEGIN cliq-vault nightly/);
  });

  it('warns about an env file others can read', async () => {
    const m = machine(tempDir);
    const envFile = join(m.env.XDG_CONFIG_HOME, 'cliq-vault', 'nightly.env');
    mkdirSync(join(m.env.XDG_CONFIG_HOME, 'cliq-vault'), { recursive: true });
    writeFileSync(envFile, 'CLIQ_REFRESH_TOKEN=x\n', { mode: 0o644 });
    chmodSync(envFile, 0o644);
    const result = await run([...base, '--install'], m.env);
    expect(result.stdout).toMatch(/Warning: +.*nightly\.env can be read by other users: run chmod 600 on it\./);
  });

  it('answers bad usage with exit 2 and what to do', async () => {
    const m = machine(tempDir);
    const cases: [string[], RegExp][] = [
      [[...base, '--time', '2:30'], /--time: must be HH:MM in 24-hour time/],
      [[...base, '--days', 'someday'], /--days: "someday" is not a list of days/],
      [[...base, '--platform', 'linux', '--kind', 'launchd'], /--kind launchd is not a scheduler of linux/],
      [[...base, '--platform', 'windows', '--install'], /--install writes the schedule of this machine \(linux\), not windows/],
      [[...base, '--keep', '0'], /--keep: must be at least 1/],
      [[...base, '--max-rate-wait', 'soon'], /--max-rate-wait: "soon" is not a duration/],
      [['schedule', '--archive', 'a.sqlite', '--backup-dir', 'b'], /No data centre given/],
      [[...base, '--name', 'My Job'], /--name "My Job" must be lowercase/],
    ];
    for (const [args, message] of cases) {
      const result = await run(args, m.env);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr, args.join(' ')).toMatch(message);
    }
    expect(allFiles(m.root).filter((f) => !f.includes('/bin/'))).toEqual([]);
  });
});
