/** An element of a parsed XML document: enough to assert on generated plists and task files. */
export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text (entities decoded), children's text excluded. */
  text: string;
}

const name = /^[A-Za-z_:][A-Za-z0-9_.:-]*/;
const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decode(text: string, where: number): string {
  if (text.includes('<')) throw new SyntaxError(`"<" in text or attribute at ${where}`);
  return text.replace(/&([^;]*);?/g, (whole, ref: string) => {
    if (!whole.endsWith(';')) throw new SyntaxError(`bare "&" at ${where}`);
    if (ref in entities) return entities[ref] ?? '';
    const code = /^#x([0-9a-fA-F]+)$/.exec(ref)?.[1] ?? /^#([0-9]+)$/.exec(ref)?.[1];
    if (code === undefined) throw new SyntaxError(`unknown entity &${ref}; at ${where}`);
    return String.fromCodePoint(ref.startsWith('#x') ? parseInt(code, 16) : Number(code));
  });
}

/**
 * A strict well-formedness parser (no DTD processing): one root element, matching tags, quoted
 * unique attributes, valid entities, no "--" inside comments. Throws SyntaxError otherwise.
 * Written for tests so they do not need an XML library.
 */
export function parseXml(source: string): XmlElement {
  const s = source.replace(/^\uFEFF/, '');
  let pos = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`${what} at ${pos}: ${JSON.stringify(s.slice(pos, pos + 40))}`);
  };
  const skipMisc = () => {
    for (;;) {
      const ws = /^\s*/.exec(s.slice(pos))?.[0].length ?? 0;
      pos += ws;
      if (s.startsWith('<!--', pos)) {
        const end = s.indexOf('-->', pos + 4);
        if (end < 0) fail('unclosed comment');
        if (s.slice(pos + 4, end).includes('--')) fail('"--" inside a comment');
        pos = end + 3;
      } else if (s.startsWith('<?', pos)) {
        const end = s.indexOf('?>', pos);
        if (end < 0) fail('unclosed processing instruction');
        pos = end + 2;
      } else if (s.startsWith('<!DOCTYPE', pos)) {
        const end = s.indexOf('>', pos);
        if (end < 0 || s.slice(pos, end).includes('[')) fail('unsupported DOCTYPE');
        pos = end + 1;
      } else {
        return;
      }
    }
  };
  const element = (): XmlElement => {
    if (s[pos] !== '<') fail('expected an element');
    pos += 1;
    const tag = name.exec(s.slice(pos))?.[0] ?? fail('expected a tag name');
    pos += tag.length;
    const attrs: Record<string, string> = {};
    for (;;) {
      const ws = /^\s*/.exec(s.slice(pos))?.[0].length ?? 0;
      pos += ws;
      if (s.startsWith('/>', pos)) {
        pos += 2;
        return { name: tag, attrs, children: [], text: '' };
      }
      if (s[pos] === '>') {
        pos += 1;
        break;
      }
      if (ws === 0) fail('expected whitespace before an attribute');
      const attr = /^([A-Za-z_:][A-Za-z0-9_.:-]*)\s*=\s*("([^"]*)"|'([^']*)')/.exec(s.slice(pos)) ?? fail('malformed attribute');
      const attrName = attr[1] ?? '';
      if (attrName in attrs) fail(`duplicate attribute ${attrName}`);
      attrs[attrName] = decode(attr[3] ?? attr[4] ?? '', pos);
      pos += attr[0].length;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = s.indexOf('<', pos);
      if (next < 0) fail(`unclosed <${tag}>`);
      text += decode(s.slice(pos, next), pos);
      pos = next;
      if (s.startsWith('</', pos)) {
        const close = new RegExp(`^</${tag.replace(/[.:-]/g, '\\$&')}\\s*>`).exec(s.slice(pos)) ?? fail(`expected </${tag}>`);
        pos += close[0].length;
        return { name: tag, attrs, children, text };
      }
      if (s.startsWith('<!--', pos)) {
        skipMisc();
        continue;
      }
      if (s.startsWith('<![CDATA[', pos)) fail('CDATA is not expected here');
      children.push(element());
    }
  };
  skipMisc();
  const root = element();
  skipMisc();
  if (pos !== s.length) fail('content after the root element');
  return root;
}

/** The first descendant element at a path of names (`['Triggers', 'CalendarTrigger']`). */
export function child(element: XmlElement, ...path: string[]): XmlElement | undefined {
  let current: XmlElement | undefined = element;
  for (const step of path) current = current?.children.find((c) => c.name === step);
  return current;
}
