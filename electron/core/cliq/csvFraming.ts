import { VaultError } from '../../../shared/errors';

/**
 * Catches CSV exports that were cut short but still parse. A body cut mid-row usually leaves a row
 * with a valid column count (`…,63183` of a 19-digit id), so the parser cannot tell. But a complete
 * export ends with a line break after its last row; one that does not is suspect. Whether this
 * server ends exports with a line break is undocumented (docs/cliq-api.md §6.7), so an unterminated
 * body is accepted when the same URL gives the identical body twice in a row — a cut does not
 * land on the same byte twice — and refused (MALFORMED_RESPONSE, which is retried) otherwise.
 */
export class CsvFraming {
  private readonly suspect = new Map<string, string>();

  check(key: string, body: string): void {
    if (body.trim() === '' || body.endsWith('\n')) {
      this.suspect.delete(key);
      return;
    }
    if (this.suspect.get(key) === body) {
      this.suspect.delete(key);
      return;
    }
    this.suspect.set(key, body);
    throw new VaultError('MALFORMED_RESPONSE', `The ${key} CSV export ends mid-line (no final line break); fetching it again to be sure it is complete.`);
  }
}
