/**
 * The file name of a `Content-Disposition` header (RFC 6266): `filename*` (RFC 8187, UTF-8 or
 * ISO-8859-1, percent-encoded) first, then the plain `filename` (a token or a quoted string).
 *
 * IMPORTANT: the name is untrusted data — `../`, slashes, CR/LF, RTL overrides, 300 characters.
 * It is returned exactly as sent, to be stored and shown as text; nothing may use it as a path.
 */
export function parseContentDispositionFilename(header: string | null): string | undefined {
  if (header === null) return undefined;
  const params = parameters(header);
  const extended = params.get('filename*');
  if (extended !== undefined) {
    const decoded = decodeExtended(extended);
    if (decoded !== undefined) return decoded;
  }
  return params.get('filename');
}

const token = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
// A parameter: `; name = value`, the value a quoted string (escapes allowed) or a run up to the next
// `;`. Scanning left to right, a quoted value is consumed whole, so a `; filename*=` inside quotes
// is part of the value, never a parameter of its own.
const parameter = new RegExp(`;\\s*(${token})\\s*=\\s*("(?:[^"\\\\]|\\\\.)*"|[^;]*)`, 'g');

/** The header's parameters by lower-case name; the first of a repeated name wins. */
function parameters(header: string): Map<string, string> {
  const result = new Map<string, string>();
  for (const match of header.matchAll(parameter)) {
    const name = (match[1] ?? '').toLowerCase();
    const raw = (match[2] ?? '').trim();
    if (result.has(name)) continue;
    result.set(name, raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2 ? raw.slice(1, -1).replace(/\\(.)/gs, '$1') : raw);
  }
  return result;
}

/** `charset'language'percent-encoded` → the text, or undefined when it cannot be decoded. */
function decodeExtended(value: string): string | undefined {
  const match = /^([A-Za-z0-9!#$%&+\-^_`{}~]+)'[^']*'(.*)$/s.exec(value);
  if (!match) return undefined;
  const charset = (match[1] ?? '').toLowerCase();
  const encoded = match[2] ?? '';
  if (/%(?![0-9A-Fa-f]{2})/.test(encoded)) return undefined;
  const bytes = Buffer.from(
    encoded.replace(/%([0-9A-Fa-f]{2})|[^%]/gs, (all: string, hex: string | undefined) => (hex === undefined ? all : String.fromCharCode(parseInt(hex, 16)))),
    'latin1',
  );
  if (charset === 'utf-8') {
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      // Not UTF-8 after all: fall back to the plain `filename`.
      return undefined;
    }
  }
  return charset === 'iso-8859-1' ? bytes.toString('latin1') : undefined;
}
