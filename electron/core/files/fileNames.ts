/**
 * A Cliq file name is hostile data: it may hold path separators, control and bidi characters (an
 * "exe" shown as "pdf"), Windows' reserved names and trailing dots, or thousands of bytes. These
 * turn it into something safe to offer as a file name (a save dialog's default, a temp copy to
 * open, a download's Content-Disposition) and say which names must never be opened.
 */

// Control characters, and the bidi and zero-width marks that can make a name read as another.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const invisible = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const reservedChars = /[<>:"/\\|?*]/g;
// Windows refuses these as a name's stem whatever the extension (CON.txt is the console).
const reservedStems = /^(con|prn|aux|nul|com[0-9]|lpt[0-9]|conin\$|conout\$)$/i;
const maxNameBytes = 180;

/**
 * A name safe on every OS, keeping what the person would recognise: the invisible removed,
 * separators and Windows' reserved characters as `_`, no leading or trailing dots or spaces, not a
 * reserved device name, at most 180 UTF-8 bytes (the extension kept). `fallback` when nothing is left.
 */
export function safeFileName(name: string | null | undefined, fallback = 'file'): string {
  let safe = (name ?? '').normalize('NFC').replace(invisible, '').replace(reservedChars, '_').trim();
  safe = safe.replace(/^[.\s]+/, '').replace(/[.\s]+$/, '');
  if (safe === '') return fallback;
  if (reservedStems.test((safe.split('.')[0] ?? '').trim())) safe = `_${safe}`;
  if (Buffer.byteLength(safe) <= maxNameBytes) return safe;
  const dot = safe.lastIndexOf('.');
  const extension = dot > 0 ? safe.slice(dot).slice(0, 20) : '';
  const stem = dot > 0 ? safe.slice(0, dot) : safe;
  return `${truncateUtf8(stem, maxNameBytes - Buffer.byteLength(extension)).replace(/[.\s]+$/, '') || '_'}${extension}`;
}

function truncateUtf8(text: string, maxBytes: number): string {
  let out = '';
  let bytes = 0;
  for (const ch of text) {
    bytes += Buffer.byteLength(ch);
    if (bytes > maxBytes) break;
    out += ch;
  }
  return out;
}

/** The lower-case extension of a (safe) name without its dot, or '' when it has none. */
export function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * Types the OS would run, install or render as active content rather than show: programs,
 * scripts, installers, shortcuts, macro documents, web pages and SVG. "Open" refuses them.
 */
const runnable = new Set(
  (
    'exe com scr pif cpl msi msp mst msc dll sys drv ocx bat cmd ps1 psm1 psd1 ps1xml vbs vbe js jse mjs cjs wsf wsh wsc sct hta ' +
    'jar class py pyw pl rb php lua tcl sh bash zsh ksh csh fish command tool run bin elf appimage deb rpm apk app pkg dmg ' +
    'action workflow terminal scpt applescript lnk url website webloc desktop inf reg scf settingcontent-ms library-ms search-ms ' +
    'html htm xhtml shtml mht mhtml xht svg svgz xml xsl xslt hlp chm iso img vhd vhdx gadget application appref-ms ' +
    'docm dotm xlsm xltm xlam pptm potm ppam sldm'
  ).split(' '),
);

/**
 * Why "Open" must not hand this name to the OS, in words, or null when it may: a type that could
 * run code, or a name without a type (the OS would guess from the bytes).
 */
export function openRefusal(name: string | null | undefined): string | null {
  const extension = extensionOf(safeFileName(name));
  if (extension === '') return 'It has no file type, so the system would have to guess how to open it. Use Save as… to keep a copy.';
  if (runnable.has(extension)) return `Files of type .${extension} can run programs or scripts, so Cliq Vault does not open them. Use Save as… to keep a copy.`;
  return null;
}

/**
 * `Content-Disposition: attachment` for a download (RFC 6266): an ASCII `filename` fallback and
 * the exact name as UTF-8 in `filename*` (RFC 5987), both from the safe name.
 */
export function attachmentDisposition(name: string | null | undefined): string {
  const safe = safeFileName(name);
  const ascii = safe.replace(/[^\x20-\x7e]/g, '_').replace(/["\\%]/g, '_');
  // encodeURIComponent leaves ' ( ) * unescaped, which RFC 5987's attr-char does not allow.
  const encoded = encodeURIComponent(safe).replace(/['()*]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
