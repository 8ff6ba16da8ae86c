import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describePlan, missingRequirements, planFor, requirements } from '../../scripts/systemPackages.mjs';
import { useTempDir } from '../helpers/tempDir';

const script = resolve(import.meta.dirname, '../../scripts/systemPackages.mjs');

/** A machine that has exactly these executable files. */
const machine = (...files: string[]) => {
  const present = new Set(files);
  return (file: string) => present.has(file);
};

const everything = machine('/usr/bin/chromium', '/usr/bin/sqlite3', '/usr/bin/soffice', '/usr/bin/unzip', '/usr/bin/openssl', '/usr/bin/apt-get');
const packagesOf = (missing: readonly { package: string }[]) => missing.map((requirement) => requirement.package);

describe('what the suite is missing', () => {
  it('is nothing when Chromium, sqlite3, soffice, unzip and openssl are where the tests look', () => {
    expect(missingRequirements({ PATH: '/usr/local/bin:/usr/bin' }, everything)).toEqual([]);
  });

  it('names the Debian package of each program it cannot find', () => {
    expect(packagesOf(missingRequirements({ PATH: '/usr/bin' }, machine()))).toEqual(['chromium', 'sqlite3', 'libreoffice-calc-nogui', 'unzip', 'openssl']);
    expect(packagesOf(missingRequirements({ PATH: '/usr/bin' }, machine('/usr/bin/chromium', '/usr/bin/soffice', '/usr/bin/unzip', '/usr/bin/openssl')))).toEqual(['sqlite3']);
  });

  it('looks for sqlite3 and soffice on PATH only, in every absolute entry', () => {
    const inOpt = machine('/usr/bin/chromium', '/opt/lo/bin/soffice', '/opt/sq/sqlite3', '/usr/bin/unzip', '/usr/bin/openssl');
    expect(missingRequirements({ PATH: '/usr/bin:/opt/lo/bin::relative:/opt/sq' }, inOpt)).toEqual([]);
    expect(packagesOf(missingRequirements({ PATH: '/usr/bin' }, inOpt))).toEqual(['sqlite3', 'libreoffice-calc-nogui']);
    expect(packagesOf(missingRequirements({}, everything))).toEqual(['sqlite3', 'libreoffice-calc-nogui', 'unzip', 'openssl']);
  });

  it('looks for Chromium at CHROMIUM_PATH when it is set, as playwright.config.ts does', () => {
    expect(packagesOf(missingRequirements({ PATH: '/usr/bin', CHROMIUM_PATH: '/nowhere/chrome' }, everything))).toEqual(['chromium']);
    const chromeElsewhere = machine('/opt/chrome/chrome', '/usr/bin/sqlite3', '/usr/bin/soffice', '/usr/bin/unzip', '/usr/bin/openssl');
    expect(missingRequirements({ PATH: '/usr/bin', CHROMIUM_PATH: '/opt/chrome/chrome' }, chromeElsewhere)).toEqual([]);
  });
});

describe('what npm test does about it', () => {
  // A machine missing Chromium and LibreOffice (the others stand for any package in the same way).
  const missing = requirements.filter((requirement) => requirement.package === 'chromium' || requirement.package === 'libreoffice-calc-nogui');

  it('does nothing when nothing is missing, whoever runs it', () => {
    expect(planFor([], { apt: false, root: false, sudo: false })).toEqual({ action: 'nothing' });
    expect(describePlan({ action: 'nothing' }, [])).toEqual([]);
  });

  it('as root: apt-get update, then installs exactly what is missing, without recommends', () => {
    expect(planFor(missing, { apt: true, root: true, sudo: false })).toEqual({
      action: 'install',
      packages: ['chromium', 'libreoffice-calc-nogui'],
      commands: [
        ['apt-get', 'update'],
        ['apt-get', 'install', '-y', '--no-install-recommends', 'chromium', 'libreoffice-calc-nogui'],
      ],
    });
  });

  it('with sudo that needs no password: the same through sudo -n, non-interactive', () => {
    expect(planFor(missing, { apt: true, root: false, sudo: true })).toEqual({
      action: 'install',
      packages: ['chromium', 'libreoffice-calc-nogui'],
      commands: [
        ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'update'],
        ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive', 'apt-get', 'install', '-y', '--no-install-recommends', 'chromium', 'libreoffice-calc-nogui'],
      ],
    });
  });

  it('says what it installs and the commands it runs', () => {
    const plan = planFor(missing, { apt: true, root: true, sudo: false });
    const text = describePlan(plan, missing).join('\n');
    expect(text).toContain('installing chromium, libreoffice-calc-nogui');
    expect(text).toContain('$ apt-get install -y --no-install-recommends chromium libreoffice-calc-nogui');
    expect(text).toContain('soffice (LibreOffice Calc) on PATH');
    expect(describePlan(plan, missing, { dryRun: true }).join('\n')).toContain('it would install chromium, libreoffice-calc-nogui');
  });

  it('without root or password-less sudo: stops with the exact command to run', () => {
    const plan = planFor(missing, { apt: true, root: false, sudo: false });
    expect(plan).toEqual({
      action: 'ask',
      packages: ['chromium', 'libreoffice-calc-nogui'],
      command: 'sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium libreoffice-calc-nogui',
    });
    const text = describePlan(plan, missing);
    expect(text).toContain('  sudo apt-get update && sudo apt-get install -y --no-install-recommends chromium libreoffice-calc-nogui');
    expect(text.at(-1)).toBe('then npm test again. No test was run.');
  });

  it('without apt-get: stops with the list of what is needed', () => {
    const plan = planFor(missing, { apt: false, root: true, sudo: true });
    expect(plan).toEqual({ action: 'unsupported', missing });
    const text = describePlan(plan, missing).join('\n');
    expect(text).toContain('there is no apt-get');
    expect(text).toContain('Chromium at /usr/bin/chromium (or CHROMIUM_PATH)');
    expect(text).toContain('soffice (LibreOffice Calc) on PATH');
    expect(text).not.toContain('sqlite3 on PATH');
  });
});

describe('scripts/systemPackages.mjs', () => {
  const tempDir = useTempDir();

  /** A folder of stand-in executables, to be the whole PATH of the script. */
  function binWith(...programs: string[]): string {
    const bin = join(tempDir(), 'bin');
    mkdirSync(bin);
    for (const program of programs) {
      writeFileSync(join(bin, program), '#!/bin/sh\nexit 0\n');
      chmodSync(join(bin, program), 0o755);
    }
    return bin;
  }

  const run = (env: Record<string, string>) => spawnSync(process.execPath, [script, '--dry-run'], { env, encoding: 'utf8' });

  it('prints nothing and succeeds when nothing is missing', () => {
    const bin = binWith('sqlite3', 'soffice', 'chromium', 'unzip', 'openssl');
    const result = run({ PATH: bin, CHROMIUM_PATH: join(bin, 'chromium') });
    expect({ status: result.status, stdout: result.stdout, stderr: result.stderr }).toEqual({ status: 0, stdout: '', stderr: '' });
  });

  it('stops before any test with what is needed when there is no apt-get', () => {
    const bin = binWith('sqlite3');
    const result = run({ PATH: bin, CHROMIUM_PATH: join(bin, 'chromium') });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('there is no apt-get');
    expect(result.stderr).toContain('Chromium at /usr/bin/chromium (or CHROMIUM_PATH)');
    expect(result.stderr).toContain('soffice (LibreOffice Calc) on PATH');
    expect(result.stderr).not.toContain('sqlite3 on PATH');
  });
});
