/**
 * Quoting for each file format the schedule writes. Paths come from the user (an archive in
 * "/srv/Cliq Archives/acme.sqlite") and must reach the job exactly, with no character read as
 * syntax by the shell, systemd, cron, XML or PowerShell.
 */

/** POSIX sh: single quotes, with `'` written as `'\''`. */
export function shQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * One argument of a systemd Exec line: double-quoted when needed; `%` (specifiers) and `$`
 * (variable expansion) doubled so they stay literal.
 */
export function systemdArg(value: string): string {
  const escaped = value.replace(/%/g, '%%').replace(/\$/g, '$$$$');
  return /^[A-Za-z0-9_@+=:,./-]+$/.test(value) ? escaped : `"${escaped.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** A systemd setting that takes a path (WorkingDirectory=, EnvironmentFile=): specifiers escaped. */
export function systemdPath(value: string): string {
  return value.replace(/%/g, '%%');
}

/** The command field of a crontab line: cron turns an unescaped `%` into a newline. */
export function cronEscape(command: string): string {
  return command.replace(/%/g, '\\%');
}

export function xmlEscape(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** PowerShell single-quoted string: no expansion; `'` doubled. */
export function psQuote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** Refuses a value no scheduler format can carry safely (a line break would start a new directive). */
export function assertOneLine(value: string, what: string): string {
  if (/[\r\n\0]/.test(value)) throw new RangeError(`${what} contains a line break or NUL`);
  return value;
}
