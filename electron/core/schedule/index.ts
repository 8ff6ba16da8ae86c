/**
 * The public surface of electron/core/schedule/ for the shells (electron/cli, electron/server,
 * electron/main, electron/worker): oS scheduler entries for a nightly sync + backup: the plan, installing it, where it goes.
 *
 * Shells import from here, never from the files behind it (a lint zone in eslint.config.js);
 * tests and the bench may reach further in.
 */
export { installSchedule, type InstallResult } from './install';
export { installedCli } from './installedCli';
export { platformOf } from './locations';
export { planSchedule, type SchedulePlan } from './plan';
