import { useEffect, useState } from 'react';
import type { MessageAttachment } from '../../../../shared/archive';
import { attachmentStatusWords } from '../../../../shared/attachments';
import { useApi } from '../../api/ApiContext';
import { fileDownloadHref, fileThumbnailHref, type FileRef } from '../../api/fileLinks';
import { useVaultState } from '../../VaultState';

const rasterDataUrl = /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/=]+$/;

type Outcome = { kind: 'ok' | 'refused' | 'error'; text: string } | null;

/**
 * What can be done with an archived file: in the desktop app "Open" (refused, with the reason, for
 * types that could run code) and "Save as…"; in the browser (`serve`) a download link. A file the
 * archive does not hold shows why instead.
 */
export function FileActions({ attachment, fileRef }: { attachment: MessageAttachment; fileRef: FileRef }) {
  const api = useApi();
  const { info } = useVaultState();
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const name = attachment.fileName ?? 'file';

  if (attachment.status !== 'stored') {
    return (
      <span className="file-status file-unavailable" title={attachment.reason ?? undefined}>
        {attachmentStatusWords[attachment.status]}
      </span>
    );
  }

  const run = async (action: () => Promise<Outcome>) => {
    setBusy(true);
    try {
      setOutcome(await action());
    } catch (error) {
      setOutcome({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    } finally {
      setBusy(false);
    }
  };
  const saveAs = () =>
    run(async () => {
      const saved = await api.invoke('files:save', fileRef);
      return saved.path === null ? null : { kind: 'ok', text: `Saved to ${saved.path}` };
    });
  const open = () =>
    run(async () => {
      const opened = await api.invoke('files:open', fileRef);
      return opened.refusal !== null ? { kind: 'refused', text: opened.refusal } : null;
    });

  return (
    <span className="file-actions">
      <span className="file-status">{attachmentStatusWords.stored}</span>
      {info.shell === 'browser' ? (
        <a href={fileDownloadHref(fileRef)} download={name} aria-label={`Download ${name}`}>
          Download
        </a>
      ) : (
        <>
          <button
            type="button"
            className="small"
            onClick={() => void open()}
            disabled={busy || attachment.openRefusal !== null}
            title={attachment.openRefusal ?? undefined}
            aria-label={`Open ${name}`}
          >
            Open
          </button>
          <button type="button" className="small" onClick={() => void saveAs()} disabled={busy} aria-label={`Save ${name} as…`}>
            Save as…
          </button>
          {attachment.openRefusal !== null && <span className="muted file-refusal">{attachment.openRefusal}</span>}
        </>
      )}
      {outcome !== null && (
        <span role={outcome.kind === 'ok' ? 'status' : 'alert'} className={outcome.kind === 'ok' ? 'muted' : 'warn-text'}>
          {outcome.text}
        </span>
      )}
    </span>
  );
}

/**
 * A stored image's preview: served by `serve` after a magic-byte check, or in the desktop a data:
 * URL the app made the same way. Nothing shows when there is none (not an image, too large).
 */
export function FileThumbnail({ attachment, fileRef }: { attachment: MessageAttachment; fileRef: FileRef }) {
  const api = useApi();
  const { info } = useVaultState();
  const [src, setSrc] = useState<string | null>(null);
  const [failed, setFailed] = useState(false);
  const wanted = attachment.image && attachment.status === 'stored';
  const { chatId, messageId, fileId } = fileRef;

  useEffect(() => {
    if (!wanted) return;
    if (info.shell === 'browser') {
      setSrc(fileThumbnailHref({ chatId, messageId, fileId }));
      return;
    }
    let live = true;
    api.invoke('archive:thumbnail', { chatId, messageId, fileId }).then(
      // Only a raster image data: URL is ever put in src (never SVG, never another scheme).
      (answer) => live && setSrc(answer.dataUrl !== null && rasterDataUrl.test(answer.dataUrl) ? answer.dataUrl : null),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [api, info.shell, wanted, chatId, messageId, fileId]);

  if (!wanted || src === null || failed) return null;
  return <img className="file-thumbnail" src={src} alt={`Preview of ${attachment.fileName ?? 'the image'}`} onError={() => setFailed(true)} />;
}
