import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import type { AttachmentRow, MessageAttachment, TranscriptMessage, TranscriptPage } from '../../shared/archive';
import { ConversationList } from '../../renderer/src/features/browse/ConversationList';
import { TranscriptView } from '../../renderer/src/features/browse/TranscriptView';
import { conversationRow, fakeApi, infoFixture, renderWithVault, transcriptMessage, withoutExtras } from './fixtures';

const hostileName = '<img src=x onerror=alert(1)>.html';
const pngDataUrl = 'data:image/png;base64,iVBORw0KGgo=';

function attachment(patch: Partial<MessageAttachment> = {}): MessageAttachment {
  return { fileId: 'f1', fileName: 'q1.pdf', size: 4096, status: 'stored', reason: null, sha256: 'a'.repeat(64), image: false, openRefusal: null, ...patch };
}

/** A file message (q1.pdf, 4 KB) of CT_1. */
function message(key: number, patch: Partial<TranscriptMessage> = {}): TranscriptMessage {
  return transcriptMessage(key, { messageId: `m${key}`, type: 'file', text: null, fileName: 'q1.pdf', fileMime: 'application/pdf', fileSize: 4096, ...patch });
}

const page: TranscriptPage = {
  chat: { chatId: 'CT_1', title: 'Finance', kind: 'channel', goneAt: null },
  messages: [
    message(1, { attachment: attachment() }),
    message(2, {
      fileName: hostileName,
      fileMime: 'text/html',
      attachment: attachment({ fileId: 'f2', fileName: hostileName, openRefusal: 'Files of type .html can run programs or scripts, so Cliq Vault does not open them. Use Save as… to keep a copy.' }),
    }),
    message(3, { fileName: 'secret.pdf', attachment: attachment({ fileId: 'f3', fileName: 'secret.pdf', status: 'forbidden', reason: 'FORBIDDEN: 403 from Cliq', sha256: null }) }),
    message(4, { fileName: 'chart.png', fileMime: 'image/png', attachment: attachment({ fileId: 'f4', fileName: 'chart.png', image: true }) }),
    // A file message of an archive without the attachments table: name and size only.
    message(5, { fileName: 'old.txt', fileMime: 'text/plain', fileSize: 10 }),
  ],
  hasOlder: false,
  hasNewer: false,
};

function setup(shell: 'electron' | 'browser') {
  const api = withoutExtras(fakeApi())
    .handle('app:info', () => infoFixture({ shell }))
    .handle('archive:transcript', () => page)
    .handle('archive:members', () => [])
    .handle('archive:thumbnail', ({ fileId }) => ({ dataUrl: fileId === 'f4' ? pngDataUrl : null }))
    .handle('files:save', () => ({ available: true, path: '/home/admin/Downloads/q1.pdf' }))
    .handle('files:open', () => ({ available: true, opened: true, refusal: null }));
  renderWithVault(<TranscriptView chatId="CT_1" focus={null} />, { api, info: infoFixture({ shell }) });
  return api;
}

const articleOf = (feed: HTMLElement, name: string) => within(feed).getByText(name).closest('article') as HTMLElement;

describe('Browse: attachments', () => {
  it('shows a file message’s name as text, its size and status, and why an unavailable one is missing', async () => {
    setup('electron');
    const feed = await screen.findByRole('feed', { name: 'Transcript of Finance' });
    expect(articleOf(feed, 'q1.pdf').textContent).toContain('application/pdf · 4.0 KB');
    expect(articleOf(feed, 'q1.pdf').textContent).toContain('stored in the archive');
    // The hostile name is text: no element was made of it.
    const hostile = articleOf(feed, hostileName);
    expect(hostile.querySelector('img')).toBeNull();
    expect(document.querySelector('img[src="x"]')).toBeNull();
    const missing = articleOf(feed, 'secret.pdf');
    expect(within(missing).getByText('unavailable: Cliq refused access (403)').getAttribute('title')).toBe('FORBIDDEN: 403 from Cliq');
    expect(within(missing).queryByRole('button', { name: /Open|Save/ })).toBeNull();
    expect(articleOf(feed, 'old.txt').textContent).toContain('text/plain · 10 B');
  });

  it('in the desktop app: Open and Save as… call the app; Open is refused (with the reason) for types that could run code', async () => {
    const api = setup('electron');
    const feed = await screen.findByRole('feed');
    await userEvent.click(within(feed).getByRole('button', { name: 'Save q1.pdf as…' }));
    expect(await within(feed).findByText('Saved to /home/admin/Downloads/q1.pdf')).toBeTruthy();
    expect(api.requestsOf('files:save')).toEqual([{ chatId: 'CT_1', messageId: 'm1', fileId: 'f1' }]);
    await userEvent.click(within(feed).getByRole('button', { name: 'Open q1.pdf' }));
    await waitFor(() => expect(api.requestsOf('files:open')).toEqual([{ chatId: 'CT_1', messageId: 'm1', fileId: 'f1' }]));
    const refused = within(feed).getByRole('button', { name: `Open ${hostileName}` });
    expect((refused as HTMLButtonElement).disabled).toBe(true);
    expect(within(articleOf(feed, hostileName)).getByText(/\.html can run programs/)).toBeTruthy();
    expect(within(articleOf(feed, hostileName)).getByRole('button', { name: `Save ${hostileName} as…` })).toBeTruthy();
    expect(within(feed).queryByRole('link', { name: /Download/ })).toBeNull();
  });

  it('in the desktop app: previews only what the app answered as a raster data: URL', async () => {
    const api = setup('electron');
    const preview = await screen.findByRole('img', { name: 'Preview of chart.png' });
    expect(preview.getAttribute('src')).toBe(pngDataUrl);
    expect(api.requestsOf('archive:thumbnail')).toEqual([{ chatId: 'CT_1', messageId: 'm4', fileId: 'f4' }]);
    expect(screen.getAllByRole('img')).toHaveLength(1);
  });

  it('in the desktop app: refuses a data: URL that is not a raster image (SVG), showing no preview', async () => {
    const api = setup('electron').handle('archive:thumbnail', () => ({ dataUrl: 'data:image/svg+xml;base64,PHN2Zy8+' }));
    await screen.findByRole('feed');
    await waitFor(() => expect(api.requestsOf('archive:thumbnail')).toHaveLength(1));
    expect(screen.queryByRole('img')).toBeNull();
  });

  it('in the browser (serve): a download link and a preview route instead of Open / Save as…', async () => {
    const api = setup('browser');
    const feed = await screen.findByRole('feed');
    const link = within(feed).getByRole('link', { name: 'Download q1.pdf' });
    expect(link.getAttribute('href')).toBe('api/file?chat=CT_1&message=m1&file=f1');
    expect(within(feed).queryByRole('button', { name: /Save .* as…/ })).toBeNull();
    const hostileLink = within(feed).getByRole('link', { name: `Download ${hostileName}` });
    expect(hostileLink.getAttribute('href')).toBe('api/file?chat=CT_1&message=m2&file=f2');
    const preview = await screen.findByRole('img', { name: 'Preview of chart.png' });
    expect(preview.getAttribute('src')).toBe('api/thumbnail?chat=CT_1&message=m4&file=f4');
    expect(api.requestsOf('archive:thumbnail')).toEqual([]);
  });

  it('lists the conversation’s attachments: name, size, date, sender, status, actions', async () => {
    const rows: AttachmentRow[] = [
      { ...attachment(), chatId: 'CT_1', messageId: 'm1', messageKey: 1, time: Date.UTC(2026, 2, 1, 9, 1), senderId: '60000001', senderName: 'Dana' },
      {
        ...attachment({ fileId: 'f3', fileName: 'secret.pdf', status: 'forbidden', reason: 'FORBIDDEN', sha256: null }),
        chatId: 'CT_1',
        messageId: 'm3',
        messageKey: 3,
        time: Date.UTC(2026, 2, 1, 9, 3),
        senderId: '60000002',
        senderName: null,
      },
    ];
    const api = setup('electron').handle('archive:attachments', () => rows);
    await screen.findByRole('feed');
    await userEvent.click(screen.getByRole('button', { name: 'Attachments' }));
    const table = await screen.findByRole('table', { name: 'Attachments' });
    const [first, second] = within(table).getAllByRole('row').slice(1);
    expect(first?.textContent).toContain('q1.pdf');
    expect(first?.textContent).toContain('4.0 KB');
    expect(first?.textContent).toContain('2026-03-01');
    expect(first?.textContent).toContain('Dana');
    expect(within(first as HTMLElement).getByRole('button', { name: 'Save q1.pdf as…' })).toBeTruthy();
    expect(second?.textContent).toContain('60000002');
    expect(second?.textContent).toContain('unavailable: Cliq refused access (403)');
    expect(api.requestsOf('archive:attachments')).toEqual([{ chatId: 'CT_1', limit: 501 }]);
    // The transcript is kept (hidden), and comes back.
    await userEvent.click(screen.getByRole('button', { name: 'Messages' }));
    expect(screen.getByRole('feed')).toBeTruthy();
  });
});

describe('Browse: file coverage in the conversation list', () => {
  const base = conversationRow();

  it('shows files stored / referenced, with what is unavailable explained', async () => {
    const api = fakeApi().handle('archive:conversations', () => [
      { ...base, files: { referenced: 14, stored: 12, unavailable: 2, skipped: 0, pending: 0, unavailableBy: { forbidden: 1, not_found: 1 } } },
      { ...base, chatId: 'CT_2', title: 'Lunch', files: { referenced: 3, stored: 3, unavailable: 0, skipped: 0, pending: 0, unavailableBy: {} } },
      { ...base, chatId: 'CT_3', title: 'Quiet' },
    ]);
    renderWithVault(<ConversationList />, { api });
    const table = await screen.findByRole('table', { name: 'Conversations' });
    const finance = within(table).getByText('files 12/14');
    expect(finance.getAttribute('title')).toBe('12 of 14 files stored; 2 unavailable (1 refused access, 1 gone from Cliq)');
    expect(finance.className).toContain('warn-text');
    const lunch = within(table).getByText('files 3/3');
    expect(lunch.className).not.toContain('warn-text');
    expect(within(table).getByLabelText('No files shared').textContent).toBe('—');
  });
});
