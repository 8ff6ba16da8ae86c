import type { MentionResolver } from '../../../../shared/markup';
import type { RsmfParticipant } from './manifest';
import { isMailbox } from './mime';

/** Who someone is, as the archive knows them when the user is not in the users table. */
export interface PersonHint {
  name?: string | null;
  email?: string | null;
}

/**
 * The participants of one conversation's manifest, gathered as its events are read: members,
 * senders, reactors. A participant's id is the Cliq user id (a member known only by e-mail keeps
 * the membership's `email:<address>` key; a sender without an id gets `name:<name>`); its display
 * name and e-mail are the ones the transcripts show (the archive's mention resolver), else what
 * the membership or message said.
 */
export class ParticipantBook {
  private readonly byId = new Map<string, RsmfParticipant>();

  constructor(private readonly resolver: MentionResolver) {}

  /** The participant id of a user (or member key), registered on first use. */
  user(id: string, hint: PersonHint = {}): string {
    if (this.byId.has(id)) return id;
    const isKey = id.startsWith('email:');
    const known = isKey ? null : this.resolver.user(id);
    const display = nonEmpty(known?.name) ?? nonEmpty(hint.name) ?? nonEmpty(hint.email) ?? id;
    const email = nonEmpty(known?.email) ?? nonEmpty(hint.email) ?? (isKey ? id.slice('email:'.length) : null);
    // RSMF's email is an address; anything else the archive holds is kept, as a custom field.
    const plain = email !== null && isMailbox(email);
    this.byId.set(id, {
      id,
      display,
      ...(plain ? { email } : {}),
      ...(isKey ? {} : { account_id: id }),
      ...(email !== null && !plain ? { custom: [{ name: 'E-mail as archived', value: email }] } : {}),
    });
    return id;
  }

  /** The participant id of a sender the archive has no user id for: by name, or one unknown sender. */
  unnamed(name: string | null): string {
    const label = nonEmpty(name);
    const id = label === null ? 'unknown-sender' : `name:${label}`;
    if (!this.byId.has(id)) this.byId.set(id, { id, display: label ?? 'unknown sender', custom: [{ name: 'Note', value: 'The archive holds no Cliq user id for this sender.' }] });
    return id;
  }

  ids(): string[] {
    return [...this.byId.keys()];
  }

  list(): RsmfParticipant[] {
    return [...this.byId.values()];
  }
}

function nonEmpty(value: string | null | undefined): string | null {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
}
