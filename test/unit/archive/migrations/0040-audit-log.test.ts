import Database from 'better-sqlite3-multiple-ciphers';
import { describe, expect, it } from 'vitest';
import { migrations } from '../../../../electron/core/archive/migrations';
import { migration } from '../../../../electron/core/archive/migrations/0040-audit-log';

describe('migration 0040 audit log', () => {
  it('adds a sealed audit_log table that accepts complete, failed and cancelled exports only', () => {
    const db = new Database(':memory:');
    for (const step of migrations) if (step.version < 40) db.transaction(() => step.up(db))();
    db.transaction(() => migration.up(db))();
    expect(migration.version).toBe(40);
    const columns = (db.prepare("SELECT name FROM pragma_table_info('audit_log')").all() as { name: string }[]).map((c) => c.name);
    expect(columns).toEqual(expect.arrayContaining(['os_user', 'scope_json', 'bundle_hash', 'row_hash', 'seal_id']));
    const insert = db.prepare("INSERT INTO audit_log (at, os_user, host, tool_version, scope_json, bundle_path, files_json, status) VALUES (1, 'u', 'h', 'v', '{}', '/b', '[]', ?)");
    insert.run('complete');
    expect(() => insert.run('partial')).toThrow(/CHECK/);
  });
});
