import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { auditScopeSchema, type AuditScopeInput } from '../../../shared/audit';
import { openArchiveDb } from '../../../electron/core/archive/connection';
import { previewScope } from '../../../electron/core/audit/preview';
import { buildArchive } from '../../helpers/archiveFixture';
import { useTempDir } from '../../helpers/tempDir';

const day = (d: string) => Date.parse(`${d}T12:00:00Z`);
const dana = { id: '7100001', name: 'Dana Ruiz' };
const kofi = { id: '1901318000001615007', name: 'Kofi Mensah' };

describe('previewScope', () => {
  const tempDir = useTempDir();

  /** An archive of two conversations, previewed as the app does: on a read-only connection of its own, closed after. */
  function previewer() {
    const dir = tempDir();
    buildArchive(dir, {
      chats: [
        { id: 'g1', kind: 'group', title: 'Finance' },
        { id: 'CT_9_1', kind: 'channel', title: '#legal' },
      ],
      users: [
        { id: dana.id, email: 'dana@acme.test', name: dana.name },
        { id: kofi.id, email: 'kofi@acme.test', name: kofi.name },
      ],
      messages: [
        { chat: 'g1', id: 'm1', time: day('2026-01-05'), text: 'Quarterly budget review', sender: dana },
        { chat: 'g1', id: 'm2', time: day('2026-01-06'), text: 'The budget is approved', sender: kofi },
        { chat: 'CT_9_1', id: 'm3', time: day('2026-02-01'), text: 'Contract draft attached', sender: kofi },
        { chat: 'CT_9_1', id: 'm4', time: day('2026-03-31'), text: 'Signed', sender: kofi },
      ],
    }).close();
    return (input: AuditScopeInput) => {
      const db = openArchiveDb(join(dir, 'fixture.sqlite'), { readonly: true });
      try {
        return previewScope(db, auditScopeSchema.parse(input));
      } finally {
        db.close();
      }
    };
  }

  it('counts the whole archive and spans every message when nothing is filtered', () => {
    expect(previewer()({})).toEqual({ conversations: 2, messages: 4, senders: 2, from: day('2026-01-05'), to: day('2026-03-31'), attachments: 0, attachmentBytes: 0 });
  });

  it('spans only the messages in scope (a conversation; a sender; a date range)', () => {
    const preview = previewer();
    expect(preview({ conversations: ['g1'] })).toEqual({ conversations: 1, messages: 2, senders: 2, from: day('2026-01-05'), to: day('2026-01-06'), attachments: 0, attachmentBytes: 0 });
    expect(preview({ senders: [kofi.id] })).toMatchObject({ messages: 3, senders: 1, from: day('2026-01-06'), to: day('2026-03-31') });
    expect(preview({ from: '2026-02-01', to: '2026-02-28' })).toMatchObject({ messages: 1, from: day('2026-02-01'), to: day('2026-02-01') });
  });

  it('has no span when nothing is in scope', () => {
    expect(previewer()({ conversations: ['nowhere'] })).toEqual({ conversations: 0, messages: 0, senders: 0, from: null, to: null, attachments: 0, attachmentBytes: 0 });
  });
});
