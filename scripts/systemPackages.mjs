// The first step of `npm test`: the suite needs three programs from Debian that npm cannot install.
// When one is missing this installs its package if it can (root, or sudo without a password) and
// otherwise stops before any test runs, printing the command to run. Nothing missing: silent, a
// few stat calls. `--dry-run` prints what it would do without running apt-get.
//
// Plain Node ESM without dependencies: it runs before anything is built. The decisions are pure
// functions (test/unit/systemPackages.test.ts); only main() looks at the machine.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * @typedef {object} Requirement
 * @property {string} package   the Debian package that provides it
 * @property {'chromium' | 'command'} kind   Chromium is found at a path; the others on PATH
 * @property {string} program   the command looked for on PATH (for `command`)
 * @property {string} needs   what is needed, in words
 * @property {string} usedBy   what in the suite uses it
 */

/** @type {readonly Requirement[]} */
export const requirements = [
  {
    package: 'chromium',
    kind: 'chromium',
    program: 'chromium',
    needs: 'Chromium at /usr/bin/chromium (or CHROMIUM_PATH)',
    usedBy: "the end-to-end tests (Playwright drives Debian's Chromium, never a downloaded one)",
  },
  {
    package: 'sqlite3',
    kind: 'command',
    program: 'sqlite3',
    needs: 'sqlite3 on PATH',
    usedBy: "the bench smoke test (compares with SQLite's own shell)",
  },
  {
    package: 'libreoffice-calc-nogui',
    kind: 'command',
    program: 'soffice',
    needs: 'soffice (LibreOffice Calc) on PATH',
    usedBy: 'test/security/spreadsheet.test.ts (opens an audit CSV in a real spreadsheet)',
  },
  {
    package: 'unzip',
    kind: 'command',
    program: 'unzip',
    needs: 'unzip on PATH',
    usedBy: "test/integration/server/bundleZip.test.ts (tests serve's bundle zips with an independent reader)",
  },
  {
    package: 'openssl',
    kind: 'command',
    program: 'openssl',
    needs: 'openssl on PATH',
    usedBy: "test/integration/audit/signedBundle.test.ts (checks a bundle's signature as its README tells a reader to)",
  },
];

export const defaultChromium = '/usr/bin/chromium';

/**
 * Where `program` is on `path` (a PATH value), or undefined.
 * @param {string} program
 * @param {string | undefined} path
 * @param {(file: string) => boolean} isExecutable
 * @returns {string | undefined}
 */
export function onPath(program, path, isExecutable) {
  for (const dir of (path ?? '').split(delimiter)) {
    // An empty PATH entry means the current folder; an absolute one is all we trust here.
    if (dir === '' || !isAbsolute(dir)) continue;
    const candidate = join(dir, program);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The requirements this machine lacks. Pure: `isExecutable` is its only look at the machine.
 * @param {{ PATH?: string | undefined, CHROMIUM_PATH?: string | undefined }} env
 * @param {(file: string) => boolean} isExecutable
 * @returns {Requirement[]}
 */
export function missingRequirements(env, isExecutable) {
  return requirements.filter((requirement) =>
    requirement.kind === 'chromium' ? !isExecutable(env.CHROMIUM_PATH ?? defaultChromium) : onPath(requirement.program, env.PATH, isExecutable) === undefined,
  );
}

/**
 * @typedef {object} Host
 * @property {boolean} apt   apt-get is on PATH (a Debian or Ubuntu machine)
 * @property {boolean} root   this process runs as root
 * @property {boolean} sudo   `sudo -n true` succeeds (sudo without a password)
 */

/**
 * @typedef {{ action: 'nothing' }
 *   | { action: 'install', packages: string[], commands: string[][] }
 *   | { action: 'ask', packages: string[], command: string }
 *   | { action: 'unsupported', missing: Requirement[] }} Plan
 * `install`: run `commands` (argv lists) in order; `ask`: stop, the user runs `command`;
 * `unsupported`: stop, no apt-get to install with.
 */

/**
 * What to do about `missing` on `host`. Pure.
 * @param {readonly Requirement[]} missing
 * @param {Host} host
 * @returns {Plan}
 */
export function planFor(missing, host) {
  if (missing.length === 0) return { action: 'nothing' };
  if (!host.apt) return { action: 'unsupported', missing: [...missing] };
  const packages = missing.map((requirement) => requirement.package);
  const install = ['install', '-y', '--no-install-recommends', ...packages];
  if (!host.root && !host.sudo) {
    return { action: 'ask', packages, command: `sudo apt-get update && sudo apt-get ${install.join(' ')}` };
  }
  // sudo resets the environment, so the frontend goes through env(1); as root it is set directly too.
  const prefix = host.root ? [] : ['sudo', '-n', 'env', 'DEBIAN_FRONTEND=noninteractive'];
  return {
    action: 'install',
    packages,
    commands: [
      [...prefix, 'apt-get', 'update'],
      [...prefix, 'apt-get', ...install],
    ],
  };
}

/**
 * The lines `npm test` prints for a plan (none for `nothing`). Pure.
 * @param {Plan} plan
 * @param {readonly Requirement[]} missing
 * @param {{ dryRun?: boolean }} [options]
 * @returns {string[]}
 */
export function describePlan(plan, missing, options = {}) {
  const list = missing.map((requirement) => `  ${requirement.package.padEnd(24)}${requirement.needs}: ${requirement.usedBy}`);
  switch (plan.action) {
    case 'nothing':
      return [];
    case 'install':
      return [
        `npm test needs Debian packages that are not installed; ${options.dryRun === true ? 'it would install' : 'installing'} ${plan.packages.join(', ')}:`,
        ...list,
        ...plan.commands.map((argv) => `  $ ${argv.join(' ')}`),
      ];
    case 'ask':
      return [
        'npm test needs Debian packages that are not installed:',
        ...list,
        'Installing them needs root, and sudo is missing or asks for a password. Run:',
        '',
        `  ${plan.command}`,
        '',
        'then npm test again. No test was run.',
      ];
    case 'unsupported':
      return [
        'npm test needs programs this machine lacks, and there is no apt-get to install them with:',
        ...plan.missing.map((requirement) => `  ${requirement.needs}: ${requirement.usedBy}`),
        `Install them with the system's package manager (Debian calls them ${plan.missing.map((r) => r.package).join(', ')}), then run npm test again.`,
        'No test was run.',
      ];
  }
}

/** @param {string} file */
function isExecutableFile(file) {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** @param {string[]} lines */
function say(lines) {
  if (lines.length > 0) process.stderr.write(`${lines.join('\n')}\n`);
}

/** @returns {number} the exit code */
function main() {
  const dryRun = process.argv.includes('--dry-run');
  const missing = missingRequirements(process.env, isExecutableFile);
  if (missing.length === 0) return 0;
  const apt = onPath('apt-get', process.env.PATH, isExecutableFile) !== undefined;
  const root = process.getuid?.() === 0;
  // Asked only when it matters: `sudo -n` never prompts, it fails if a password would be needed.
  const sudo = apt && !root && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status === 0;
  const plan = planFor(missing, { apt, root, sudo });
  say(describePlan(plan, missing, { dryRun }));
  if (plan.action !== 'install') return 1;
  if (dryRun) return 0;

  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  for (const argv of plan.commands) {
    const [command = 'apt-get', ...args] = argv;
    const run = spawnSync(command, args, { stdio: 'inherit', env });
    if (run.status !== 0) {
      const how = run.error ? run.error.message : run.signal ? `killed by ${run.signal}` : `exit code ${String(run.status)}`;
      say([
        `\`${argv.join(' ')}\` failed (${how}); the packages are not installed and no test was run.`,
        `Fix the error above, or install them by hand: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${plan.packages.join(' ')}`,
      ]);
      return 1;
    }
  }
  // What apt-get put in place must now be found where the tests look (CHROMIUM_PATH may point elsewhere).
  const still = missingRequirements(process.env, isExecutableFile);
  if (still.length > 0) {
    say([
      `Installed ${plan.packages.join(', ')}, but the tests still cannot find:`,
      ...still.map((requirement) => `  ${requirement.needs}${requirement.kind === 'chromium' && process.env.CHROMIUM_PATH !== undefined ? ` (CHROMIUM_PATH=${process.env.CHROMIUM_PATH})` : ''}`),
      'No test was run.',
    ]);
    return 1;
  }
  say([`Installed ${plan.packages.join(', ')}.`]);
  return 0;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) process.exitCode = main();
