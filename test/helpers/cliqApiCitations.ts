/**
 * Checks citations of docs/cliq-api.md (used by test/unit/docs/citations.test.ts).
 *
 * Sections. docs/cliq-api.md numbers its parts and sections in exactly two heading forms, outside
 * fenced code blocks:
 *   `## 6. Title`    defines part 6 (cited as the section sign followed by 6)
 *   `### 6.7 Title`  defines section 6.7, and must sit under `## 6.`
 * Any other level-2 or level-3 heading (`## Notes`, `## 6 Title`, `### 6.7. Title`) is reported,
 * as is a number defined twice, so an anchor cannot be lost to a typo in its heading.
 *
 * Citations. In the scanned files:
 * - every mention of the file must spell it `docs/cliq-api.md` (the path from the repository
 *   root); the copy once cited from ../shared/, outside the repository, is reported as such, and
 *   any other spelling too;
 * - every section sign followed by a number (`6.7`, `10`) is a citation of docs/cliq-api.md —
 *   the project cites no other numbered document this way — and that number must be a heading
 *   there; a range (`5.3–5.5`) must have both ends;
 * - a section sign not followed by a number is reported (a citation that names nothing);
 * - a file that uses the section sign must name docs/cliq-api.md somewhere, so a reader knows
 *   which document its bare section numbers refer to (docs/cliq-api.md itself excepted).
 */

export interface CitationProblem {
  file: string;
  line: number;
  message: string;
}

export const cliqApiDoc = 'docs/cliq-api.md';

/** The section sign, spelled as an escape so this file cites nothing itself. */
const sign = '\u00a7';

const partHeading = /^## (\d+)\. \S/;
const sectionHeading = /^### (\d+)\.(\d+) \S/;
const anyNumberedLevel = /^#{2,3}(?!#)/;
const fence = /^\s*(```|~~~)/;

/** The section numbers docs/cliq-api.md defines, and what is wrong with its headings. */
export function parseSections(markdown: string, file = cliqApiDoc): { sections: Set<string>; problems: CitationProblem[] } {
  const sections = new Set<string>();
  const problems: CitationProblem[] = [];
  let inFence = false;
  let part: string | undefined;
  markdown.split('\n').forEach((text, index) => {
    const line = index + 1;
    if (fence.test(text)) {
      inFence = !inFence;
      return;
    }
    if (inFence || !anyNumberedLevel.test(text)) return;
    const define = (number: string) => {
      if (sections.has(number)) problems.push({ file, line, message: `section ${number} is defined twice` });
      sections.add(number);
    };
    const p = partHeading.exec(text);
    if (p?.[1] !== undefined) {
      part = p[1];
      define(part);
      return;
    }
    const s = sectionHeading.exec(text);
    if (s?.[1] !== undefined && s[2] !== undefined) {
      if (s[1] !== part) problems.push({ file, line, message: `section ${s[1]}.${s[2]} sits under part ${part ?? '(none)'}` });
      define(`${s[1]}.${s[2]}`);
      return;
    }
    problems.push({ file, line, message: `heading "${text}" is not "## N. Title" or "### N.M Title"` });
  });
  return { sections, problems };
}

const mention = /([\w.@~/-]*?)cliq-api\.md/g;
const citation = new RegExp(`${sign}(\\s*)(\\d+(?:\\.\\d+)*)?(?:\\s*[\u2013-]\\s*(\\d+(?:\\.\\d+)*))?`, 'g');

/** Problems with the citations in one file's text (path relative to the repository root). */
export function checkCitations(file: string, text: string, sections: ReadonlySet<string>): CitationProblem[] {
  const problems: CitationProblem[] = [];
  let namesDoc = false;
  let firstSign: number | undefined;
  for (const [index, content] of text.split('\n').entries()) {
    const line = index + 1;
    for (const match of content.matchAll(mention)) {
      const prefix = match[1] ?? '';
      if (prefix === 'docs/' || prefix.endsWith('/docs/')) {
        namesDoc = true;
      } else if (/(^|\/)shared\/$/.test(prefix)) {
        problems.push({ file, line, message: `cites ${match[0]}, which is outside the repository: cite ${cliqApiDoc}` });
      } else {
        problems.push({ file, line, message: `names ${match[0]}: spell it ${cliqApiDoc}` });
      }
    }
    for (const match of content.matchAll(citation)) {
      firstSign ??= line;
      const [, space = '', from, to] = match;
      if (from === undefined || space !== '') {
        problems.push({ file, line, message: `a section sign that names no section number: "${match[0]}"` });
        continue;
      }
      for (const number of to === undefined ? [from] : [from, to]) {
        if (!sections.has(number)) problems.push({ file, line, message: `cites ${sign}${number}, which is not a section of ${cliqApiDoc}` });
      }
    }
  }
  if (firstSign !== undefined && !namesDoc && file !== cliqApiDoc) {
    problems.push({ file, line: firstSign, message: `uses section numbers but never names ${cliqApiDoc}, so a reader cannot tell what they cite` });
  }
  return problems;
}

export function formatProblem(problem: CitationProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`;
}
