import { linkify } from './linkify.js';

/**
 * The light formatting operators and the virtual agent write (a small Markdown subset), read into
 * a tree that the panel renders as Lit templates: text nodes and known elements only, never HTML.
 * Paragraphs (blank lines), line breaks, `- ` / `* ` and `1. ` lists, ``` code blocks; inside a
 * line: **bold**, *italic* or _italic_, `code`, and links (http, https, mailto, tel).
 */
export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'bold' | 'italic' | 'code'; text: string }
  | { kind: 'link'; text: string; href: string };
export type Block =
  | { kind: 'paragraph'; lines: Inline[][] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'code'; text: string };

const INLINE = /(\*\*[^*\n]+?\*\*|`[^`\n]+`|\*[^*\s](?:[^*\n]*[^*\s])?\*|(?<![\w])_[^_\s](?:[^_\n]*[^_\s])?_(?![\w]))/g;
const BULLET = /^\s*[-*•]\s+/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+/;

/** One line's inline formatting; links are found in plain text only. */
export function inline(text: string): Inline[] {
  const out: Inline[] = [];
  let last = 0;
  const plain = (t: string) => {
    for (const seg of linkify(t)) out.push(seg.href ? { kind: 'link', text: seg.text, href: seg.href } : { kind: 'text', text: seg.text });
  };
  for (const match of text.matchAll(INLINE)) {
    const token = match[0];
    const start = match.index ?? 0;
    if (start > last) plain(text.slice(last, start));
    if (token.startsWith('**')) out.push({ kind: 'bold', text: token.slice(2, -2) });
    else if (token.startsWith('`')) out.push({ kind: 'code', text: token.slice(1, -1) });
    else out.push({ kind: 'italic', text: token.slice(1, -1) });
    last = start + token.length;
  }
  if (last < text.length) plain(text.slice(last));
  return out;
}

export function format(text: string): Block[] {
  const blocks: Block[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: Inline[][] = [];
  const flush = () => {
    if (paragraph.length) blocks.push({ kind: 'paragraph', lines: paragraph });
    paragraph = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().startsWith('```')) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trim().startsWith('```'); i++) code.push(lines[i]!);
      blocks.push({ kind: 'code', text: code.join('\n') });
      continue;
    }
    const ordered = NUMBERED.test(line);
    if (ordered || BULLET.test(line)) {
      flush();
      const items: Inline[][] = [];
      for (; i < lines.length && (ordered ? NUMBERED : BULLET).test(lines[i]!); i++) items.push(inline(lines[i]!.replace(ordered ? NUMBERED : BULLET, '')));
      i--;
      blocks.push({ kind: 'list', ordered, items });
      continue;
    }
    if (!line.trim()) flush();
    else paragraph.push(inline(line));
  }
  flush();
  return blocks;
}
