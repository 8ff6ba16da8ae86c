import { describe, expect, it } from 'vitest';
import { attachmentDisposition, openRefusal, safeFileName } from '../../../electron/core/files/fileNames';
import { imageTypeOf } from '../../../electron/core/files/imageKind';
import { pngBytes, svgBytes } from '../../helpers/attachmentsFixture';

describe('file names from Cliq are data', () => {
  it('keeps an ordinary name as it is', () => {
    expect(safeFileName('Quarterly report (final) – v2.pdf')).toBe('Quarterly report (final) – v2.pdf');
    expect(safeFileName('写真.jpeg')).toBe('写真.jpeg');
  });

  it('never yields a path, a hidden file, a device name or invisible characters', () => {
    expect(safeFileName('../../../etc/passwd')).toBe('_.._.._etc_passwd');
    expect(safeFileName('..\\..\\Windows\\System32\\evil.dll')).toBe('_.._Windows_System32_evil.dll');
    expect(safeFileName('/absolute/path.txt')).toBe('_absolute_path.txt');
    expect(safeFileName('C:\\x.txt')).toBe('C__x.txt');
    expect(safeFileName('.bashrc')).toBe('bashrc');
    expect(safeFileName('trailing dots...  ')).toBe('trailing dots');
    expect(safeFileName('CON.txt')).toBe('_CON.txt');
    expect(safeFileName('lpt1')).toBe('_lpt1');
    expect(safeFileName('invoice\u202Efdp.exe')).toBe('invoicefdp.exe');
    expect(safeFileName('a\u0000b\r\nc\u200b.txt')).toBe('abc.txt');
    expect(safeFileName('"quoted";name.txt')).toBe('_quoted_;name.txt');
  });

  it('falls back when nothing is left, and caps the length keeping the extension', () => {
    expect(safeFileName(null)).toBe('file');
    expect(safeFileName('  ...  ', 'file-123')).toBe('file-123');
    expect(safeFileName('\u202e\u200f')).toBe('file');
    const long = safeFileName(`${'é'.repeat(500)}.pdf`);
    expect(Buffer.byteLength(long)).toBeLessThanOrEqual(180);
    expect(long.endsWith('.pdf')).toBe(true);
  });

  it('writes Content-Disposition with an ASCII fallback and the UTF-8 name, nothing that ends the header', () => {
    expect(attachmentDisposition('résumé "final".pdf')).toBe(`attachment; filename="r_sum_ _final_.pdf"; filename*=UTF-8''r%C3%A9sum%C3%A9%20_final_.pdf`);
    expect(attachmentDisposition("it's (1)*.txt")).toBe(`attachment; filename="it's (1)_.txt"; filename*=UTF-8''it%27s%20%281%29_.txt`);
    expect(attachmentDisposition('a\r\nSet-Cookie: x=1.txt')).not.toMatch(/[\r\n]/);
    expect(attachmentDisposition('100%.txt')).toBe(`attachment; filename="100_.txt"; filename*=UTF-8''100%25.txt`);
    expect(attachmentDisposition(null)).toBe(`attachment; filename="file"; filename*=UTF-8''file`);
  });

  it('refuses to open programs, scripts, installers, shortcuts, web pages, SVG and names without a type', () => {
    for (const name of [
      'a.exe',
      'B.BAT',
      'c.cmd',
      'd.com',
      'e.scr',
      'f.js',
      'g.vbs',
      'h.ps1',
      'i.sh',
      'j.app',
      'k.jar',
      'l.msi',
      'm.html',
      'n.htm',
      'o.svg',
      'p.lnk',
      'q.hta',
      'r.reg',
      's.desktop',
      't.docm',
      'invoice.pdf.exe',
      'x.exe.',
      'y.exe  ',
      'README',
    ]) {
      expect(openRefusal(name), name).toMatch(/Save as/);
    }
    for (const name of ['report.pdf', 'photo.JPG', 'notes.txt', 'sheet.xlsx', 'archive.zip']) expect(openRefusal(name), name).toBeNull();
  });
});

describe('image previews go by magic bytes only', () => {
  it('knows PNG, JPEG, GIF and WebP, and nothing else', () => {
    expect(imageTypeOf(pngBytes)).toBe('image/png');
    expect(imageTypeOf(Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 0x10]))).toBe('image/jpeg');
    expect(imageTypeOf(Buffer.from('GIF89a\x01\x00', 'latin1'))).toBe('image/gif');
    expect(imageTypeOf(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).toBe('image/webp');
    expect(imageTypeOf(svgBytes)).toBeNull();
    expect(imageTypeOf(Buffer.from('RIFF\x10\x00\x00\x00WAVEfmt ', 'latin1'))).toBeNull();
    expect(imageTypeOf(Buffer.from('<html>'))).toBeNull();
    expect(imageTypeOf(Buffer.alloc(0))).toBeNull();
    expect(imageTypeOf(pngBytes.subarray(0, 4))).toBeNull();
  });
});
