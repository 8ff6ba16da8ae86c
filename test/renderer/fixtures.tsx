import { emptyNames } from '../../shared/markup';
import { render, type RenderResult } from '@testing-library/react';
import type { ReactElement } from 'react';
import { defaultSettings, type OrgProfile, type Settings } from '../../shared/settings';
import type { TranscriptMessage } from '../../shared/archive';
import type { AppInfo, ConversationRow } from '../../shared/views';
import { ApiProvider } from '../../renderer/src/api/ApiContext';
import { VaultStateProvider } from '../../renderer/src/VaultState';
import { FakeVaultApi } from './fakeApi';

export const acmeProfile: OrgProfile = {
  id: 'acme',
  name: 'Acme Corp',
  dataCentre: 'eu',
  clientId: '1000.ABC',
  archivePath: '/home/admin/Cliq Vault/acme.sqlite',
  demo: false,
};

export function settingsFixture(patch: Partial<Settings> = {}): Settings {
  return { ...defaultSettings(), profiles: [acmeProfile], activeProfile: 'acme', timeZone: 'UTC', ...patch };
}

export function infoFixture(patch: Partial<AppInfo> = {}): AppInfo {
  return {
    version: '1.0.0',
    shell: 'electron',
    platform: 'linux',
    settingsPath: '/home/admin/.config/cliq-vault/config.json',
    defaultArchiveDir: '/home/admin/Cliq Vault',
    secretStorage: 'os',
    activeProfile: acmeProfile,
    hasCredentials: true,
    archivePath: acmeProfile.archivePath,
    archiveExists: true,
    archiveReadOnly: false,
    archiveFromSimulator: false,
    archiveEncryption: { state: 'plain', store: 'os', keysHeld: 0, passphrase: false, keyringLocked: false, keyringUnreadable: false },
    bundleSigning: {
      kind: 'installation',
      fingerprint: '1a2b:3c4d:5e6f:7a8b:9c0d:1e2f:3a4b:5c6d:7e8f:9a0b:1c2d:3e4f:5a6b:7c8d:9e0f:1a2b',
      origin: "this installation's key, kept in the OS secret store",
    },
    ...patch,
  };
}

/** A fake api that already answers what every screen's providers ask (app info, settings). */
export function fakeApi(settings: Settings = settingsFixture()): FakeVaultApi {
  return new FakeVaultApi().handle('app:info', () => infoFixture()).handle('settings:get', () => settings);
}

/** Renders a screen as the app does: with an api and the app state (settings, time zone). */
export function renderWithVault(ui: ReactElement, { api, settings = settingsFixture(), info = infoFixture() }: { api: FakeVaultApi; settings?: Settings; info?: AppInfo }): RenderResult {
  return render(
    <ApiProvider api={api}>
      <VaultStateProvider info={info} settings={settings}>
        {ui}
      </VaultStateProvider>
    </ApiProvider>,
  );
}

/** A text message of CT_1 by Dana, at 09:<key> on 2026-03-01, as the transcript shows it. */
export function transcriptMessage(key: number, patch: Partial<TranscriptMessage> = {}): TranscriptMessage {
  return {
    key,
    chatId: 'CT_1',
    messageId: `17123456789012345${key}`,
    time: Date.UTC(2026, 2, 1, 9, key),
    senderId: '60000001',
    senderName: 'Dana',
    type: 'text',
    subtype: null,
    text: `message ${key}`,
    fileName: null,
    fileMime: null,
    fileSize: null,
    extraText: null,
    deletedAt: null,
    version: 1,
    ...patch,
  };
}

/** The Finance channel (CT_1) as the Browse list shows it, fully archived. */
export function conversationRow(patch: Partial<ConversationRow> = {}): ConversationRow {
  return {
    chatId: 'CT_1',
    kind: 'channel',
    kindSource: 'listing',
    title: 'Finance',
    parentChatId: null,
    memberCount: 3,
    serverMessageCount: 10,
    archivedCount: 10,
    deletedCount: 0,
    syncStatus: 'complete',
    lastCompleteAt: Date.UTC(2026, 2, 1),
    lastMessageAt: Date.UTC(2026, 2, 1),
    errorCode: null,
    goneAt: null,
    ...patch,
  };
}

/** The transcript's side reads answered as for a conversation never checked for pins or reactions, and a channel listed without permissions. */
export function withoutExtras(api: FakeVaultApi): FakeVaultApi {
  return api
    .handle('archive:sticky', () => ({ pins: [], checkedAt: null }))
    .handle('archive:reactionCoverage', () => ({ checked: 0, due: 0, unreadable: 0, askedAt: null }))
    .handle('archive:channelPermissions', () => [])
    .handle('archive:names', () => emptyNames());
}
