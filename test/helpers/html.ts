import { parse, type DefaultTreeAdapterMap } from 'parse5';
import { expect } from 'vitest';

/**
 * HTML read back with a real parser (parse5, the WHATWG parser jsdom uses) for transcript tests,
 * with the few queries they need: elements by tag, class and attribute, attributes, text.
 */
export type Element = DefaultTreeAdapterMap['element'];
type ParentNode = DefaultTreeAdapterMap['parentNode'];
type ChildNode = DefaultTreeAdapterMap['childNode'];

export interface ParsedHtml {
  all: Element[];
  find(predicate: (e: Element) => boolean): Element[];
}

function isElement(node: ChildNode): node is Element {
  return 'tagName' in node;
}

function descendants(node: ParentNode, into: Element[]): Element[] {
  for (const child of node.childNodes) {
    if (isElement(child)) {
      into.push(child);
      descendants(child, into);
    }
    // <template> content is not walked: transcripts have none.
  }
  return into;
}

export function parseHtml(html: string): ParsedHtml {
  const all = descendants(parse(html), []);
  return { all, find: (predicate) => all.filter(predicate) };
}

export function attr(e: Element, name: string): string | null {
  return e.attrs.find((a) => a.name === name)?.value ?? null;
}

export function hasClass(e: Element, name: string): boolean {
  return (attr(e, 'class') ?? '').split(/\s+/).includes(name);
}

export function textOf(node: ParentNode | ChildNode): string {
  if (node.nodeName === '#text' && 'value' in node) return node.value;
  if (!('childNodes' in node)) return '';
  return node.childNodes.map((c) => textOf(c)).join('');
}

/** Elements under `e` (not `e` itself). */
export function within(e: Element, predicate: (x: Element) => boolean): Element[] {
  return descendants(e, []).filter(predicate);
}

const tags =
  (...names: string[]) =>
  (e: Element) =>
    names.includes(e.tagName);
export const byTag = tags;

/**
 * A transcript parsed and checked for what none may hold: a declared UTF-8 charset and a strict
 * CSP; no script, frame, object, form, base, link or image; no on* attribute; links only to
 * http(s), mailto, the bundle's files/ and other transcripts.
 */
export function parseTranscript(html: string): ParsedHtml {
  expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  const doc = parseHtml(html);
  expect(doc.find((e) => e.tagName === 'meta' && attr(e, 'charset') !== null).map((e) => attr(e, 'charset'))).toEqual(['utf-8']);
  const csp = doc.find((e) => e.tagName === 'meta' && attr(e, 'http-equiv') === 'Content-Security-Policy');
  expect(csp.map((e) => attr(e, 'content'))).toEqual(["default-src 'none'; style-src 'unsafe-inline'; img-src 'self'"]);
  expect(doc.find(tags('script', 'iframe', 'frame', 'object', 'embed', 'form', 'link', 'base', 'img', 'svg')).length).toBe(0);
  for (const element of doc.all) {
    for (const { name } of element.attrs) expect(name.startsWith('on'), `${element.tagName} ${name}`).toBe(false);
    const href = attr(element, 'href');
    if (href !== null) expect(href, href).toMatch(/^(https?:\/\/|mailto:|\.\.\/files\/[0-9a-f]{64}(\.[a-z0-9]+)?$|[A-Za-z0-9_-]+\.html(#m\d+)?$)/);
  }
  return doc;
}
