import { formatInZone } from '../../util/timeZone';
import { esc } from './html';

/**
 * The frame of every transcript file: a strict CSP (nothing loads, nothing runs; only the inline
 * style), UTF-8 declared, inline CSS that reads on screen and prints (no sticky parts, links
 * written out on paper, messages not split across pages).
 */
export const contentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'";

const css = `
:root { color-scheme: light; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1b1f24; margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; overflow-wrap: anywhere; }
.sub, .meta, .ids, .note { color: #57606a; font-size: .85rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { text-align: start; padding: .25rem .5rem; border-bottom: 1px solid #d8dee4; vertical-align: top; overflow-wrap: anywhere; }
th { white-space: nowrap; }
h2.day { font-size: .95rem; margin: 1.5rem 0 .5rem; padding: .25rem 0; border-bottom: 2px solid #d8dee4; color: #24292f; }
article.msg { padding: .4rem .5rem; margin: 0 0 .25rem; border-inline-start: 3px solid transparent; break-inside: avoid; }
article.msg > header { display: flex; flex-wrap: wrap; gap: .25rem .75rem; align-items: baseline; }
article.msg time { color: #57606a; font-variant-numeric: tabular-nums; }
.who { font-weight: 600; }
.body { white-space: pre-wrap; overflow-wrap: anywhere; }
article.info { color: #57606a; font-style: italic; }
article.deleted { border-inline-start-color: #cf222e; background: #fff5f5; }
article.edited { border-inline-start-color: #bf8700; }
.flag { font-size: .75rem; font-weight: 600; text-transform: uppercase; padding: 0 .35rem; border-radius: .25rem; background: #eaeef2; }
.flag.deleted { background: #ffebe9; color: #a40e26; }
.flag.edited { background: #fff8c5; color: #7d4e00; }
.mention { color: #0550ae; font-weight: 600; }
.mention.unresolved { color: #57606a; }
.button { border: 1px solid #afb8c1; border-radius: .25rem; padding: 0 .3rem; }
blockquote { margin: .25rem 0; padding-inline-start: .75rem; border-inline-start: 3px solid #d0d7de; color: #424a53; }
pre, code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; background: #f6f8fa; }
pre { padding: .5rem; white-space: pre-wrap; overflow-wrap: anywhere; }
details.versions { margin: .25rem 0; }
details.versions li { margin: .25rem 0; }
ul.files { margin: .25rem 0; padding-inline-start: 1.25rem; overflow-wrap: anywhere; }
.thread { margin: .25rem 0 .25rem 1.5rem; padding-inline-start: .75rem; border-inline-start: 2px dashed #8c959f; }
a { color: #0969da; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  a[href^="http"]::after, a[href^="mailto"]::after { content: " <" attr(href) ">"; font-size: .8em; color: #57606a; }
  details.versions > *:not(summary) { display: block; }
  article.msg, h2.day { break-inside: avoid; }
  h2.day { break-after: avoid; }
}
`;

/** The start of a transcript document, up to and including the opening of <body>. */
export function documentStart(title: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${esc(contentSecurityPolicy)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${css}</style>
</head>
<body>
`;
}

export const documentEnd = '</body>\n</html>\n';

/** The calendar day of an instant in the zone: `2026-01-31`. */
export function dayOf(ms: number, timeZone: string): string {
  return formatInZone(ms, timeZone).slice(0, 10);
}

/** A full instant for notes (deleted, versions, members): `2026-01-31 09:05 +01:00`. */
export function instantOf(ms: number, timeZone: string): string {
  const full = formatInZone(ms, timeZone);
  return `${full.slice(0, 10)} ${full.slice(11, 16)} ${zoneOf(full)}`;
}

/**
 * A message's <time>: `formatted` is formatInZone's `2026-01-31T09:05:12.000+01:00` (a valid HTML
 * datetime as it is), shown as the time of day with its offset, `09:05:12 UTC+01:00` (the day is
 * the separator above it).
 */
export function timeElement(formatted: string): string {
  return `<time datetime="${formatted}">${formatted.slice(11, 19)} ${zoneOf(formatted)}</time>`;
}

function zoneOf(formatted: string): string {
  const zone = formatted.slice(23);
  return zone === 'Z' ? 'UTC' : `UTC${zone}`;
}
