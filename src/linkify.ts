export type TextSegment = { text: string; href?: undefined } | { text: string; href: string };

const LINK = /\b(?:https?:\/\/[^\s<>"']+|mailto:[^\s<>"']+|tel:\+?[\d\-().\s]*\d)/gi;
const TRAILING = /[.,;:!?)\]}'"]+$/;

/**
 * Splits message text into plain text and links. Only http, https, mailto and
 * tel become links; everything else stays text (the element renders text
 * nodes, never HTML).
 */
export function linkify(text: string): TextSegment[] {
  const out: TextSegment[] = [];
  let last = 0;
  for (const match of text.matchAll(LINK)) {
    let url = match[0];
    const trail = TRAILING.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trail.length);
    const start = match.index ?? 0;
    if (start > last) out.push({ text: text.slice(last, start) });
    out.push({ text: url, href: url });
    last = start + url.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}
