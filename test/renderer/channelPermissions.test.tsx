import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { TranscriptPage } from '../../shared/archive';
import type { ChannelPermission } from '../../shared/evidence';
import { MembersPanel } from '../../renderer/src/features/browse/MembersPanel';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { fakeApi, renderWithVault, transcriptMessage, withoutExtras } from './fixtures';

const day = (d: number) => Date.UTC(2026, 2, d, 9, 0);

const permission = (patch: Partial<ChannelPermission> & Pick<ChannelPermission, 'role' | 'permission'>): ChannelPermission => ({
  allowed: true,
  value: 'true',
  firstSeenAt: day(1),
  goneAt: null,
  ...patch,
});

describe('a channel’s permissions beside its member roles', () => {
  it('lists what each role may and may not do now, in words, and every value seen with when', async () => {
    const api = fakeApi()
      .handle('archive:members', () => [])
      .handle('archive:channelPermissions', () => [
        permission({ role: 'admin', permission: 'delete_channel' }),
        permission({ role: 'admin', permission: 'send_message' }),
        permission({ role: 'moderator', permission: 'sticky_message' }),
        permission({ role: 'moderator', permission: 'delete_others_message', allowed: false, value: 'false' }),
        // Members could post until an admin turned it off: the change is history.
        permission({ role: 'member', permission: 'send_message', goneAt: day(4) }),
        permission({ role: 'member', permission: 'send_message', allowed: false, value: 'false', firstSeenAt: day(4) }),
        permission({ role: 'member', permission: 'mention_users' }),
        // Neither true nor false: Cliq's value as text, never markup.
        permission({ role: 'member', permission: 'post_limit', allowed: null, value: '"<b>5</b>"' }),
      ]);
    renderWithVault(<MembersPanel chatId="CT_1" channel />, { api });
    const now = await screen.findByRole('list', { name: 'Permissions now' });
    const role = (title: string) => within(now).getByText(title).closest('li')?.textContent.slice(title.length);
    expect(role('Admins')).toBe('May: delete channel, send message');
    expect(role('Moderators')).toBe('May: sticky messageMay not: delete others message');
    // Only the value in force now: send message is denied, no longer allowed.
    expect(role('Members')).toBe('May: mention usersMay not: send messagepost limit: "<b>5</b>"');
    expect(now.querySelector('b')).toBeNull();

    const summary = screen.getByText('Permission history (1 changed)');
    await userEvent.click(summary);
    expect(summary.closest('details')?.open).toBe(true);
    const history = screen.getByRole('list', { name: 'Permission history' });
    const lines = within(history)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(lines).toContain('Members: send message allowed — seen from 2026-03-01, 09:00 until 2026-03-04, 09:00 (noticed at a sync)');
    expect(lines).toContain('Members: send message denied — seen from 2026-03-04, 09:00, still in force');
    expect(lines).toHaveLength(8);
    expect(api.requestsOf('archive:channelPermissions')).toEqual([{ chatId: 'CT_1' }]);
  });

  it('says when none are recorded, and a role listed without any', async () => {
    const api = fakeApi()
      .handle('archive:members', () => [])
      .handle('archive:channelPermissions', () => []);
    renderWithVault(<MembersPanel chatId="CT_1" channel />, { api });
    expect(await screen.findByText("No permissions recorded: Cliq's channel listing has not given them for this channel.")).toBeTruthy();

    const partial = fakeApi()
      .handle('archive:members', () => [])
      .handle('archive:channelPermissions', () => [permission({ role: 'member', permission: 'send_message' })]);
    renderWithVault(<MembersPanel chatId="CT_2" channel />, { api: partial });
    const now = await screen.findByRole('list', { name: 'Permissions now' });
    expect(within(now).getAllByText('none recorded now')).toHaveLength(2);
  });

  it('is asked for a channel’s transcript only', async () => {
    const page = (kind: 'channel' | 'direct'): TranscriptPage => ({
      chat: { chatId: 'CT_1', title: 'Finance', kind, goneAt: null },
      messages: [transcriptMessage(1)],
      hasOlder: false,
      hasNewer: false,
    });
    const channel = withoutExtras(fakeApi())
      .handle('archive:transcript', () => page('channel'))
      .handle('archive:members', () => [])
      .handle('archive:channelPermissions', () => [permission({ role: 'member', permission: 'send_message', allowed: false, value: 'false' })]);
    const { unmount } = renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api: channel });
    const now = await screen.findByRole('list', { name: 'Permissions now' });
    expect(within(now).getByText('May not: send message')).toBeTruthy();
    expect(channel.requestsOf('archive:channelPermissions')).toEqual([{ chatId: 'CT_1' }]);
    unmount();

    const direct = withoutExtras(fakeApi())
      .handle('archive:transcript', () => page('direct'))
      .handle('archive:members', () => []);
    renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api: direct });
    await screen.findByRole('feed', { name: 'Transcript of Finance' });
    await screen.findByText('No membership recorded (direct chats and bots have none).');
    expect(screen.queryByRole('heading', { name: 'Channel permissions' })).toBeNull();
    expect(direct.requestsOf('archive:channelPermissions')).toEqual([]);
  });
});
