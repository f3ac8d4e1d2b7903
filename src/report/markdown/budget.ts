/**
 * Fitting a document into GitHub's limits without ever failing: walk the detail ladder until the
 * rendering fits, and only when even the barest version is too long, cut it at a paragraph boundary
 * with a note saying where the rest is.
 */
import type { Detail } from './detail.js';

export type Measure = (text: string) => number;

/** GitHub counts characters for comments and check runs; JS length (UTF-16 units) never undercounts. */
export const characters: Measure = (text) => text.length;

const encoder = new TextEncoder();
/** The job summary's limit is in bytes of UTF-8. */
export const utf8Bytes: Measure = (text) => encoder.encode(text).length;

export const TRUNCATION_NOTE = '\n\n**(Report truncated: see the job summary / HTML report for the rest.)**';

/** The first rendering along `ladder` that fits `max`, else the last one truncated to fit. */
export function fitToBudget(render: (detail: Detail) => string, ladder: Detail[], measure: Measure, max: number): string {
  let last = '';
  for (const detail of ladder) {
    last = render(detail);
    if (measure(last) <= max) return last;
  }
  return truncateToBudget(last, measure, max);
}

/** Cut `text` at the last blank line that leaves room for the note; by characters as a last resort. */
export function truncateToBudget(text: string, measure: Measure, max: number): string {
  const room = max - measure(TRUNCATION_NOTE);
  if (room <= 0) return '';
  let cut = text;
  while (measure(cut) > room) {
    const paragraph = cut.lastIndexOf('\n\n', cut.length - 1);
    if (paragraph > 0 && measure(cut.slice(0, paragraph)) <= room) {
      cut = cut.slice(0, paragraph);
      break;
    }
    if (paragraph > 0 && paragraph > cut.length / 2) {
      cut = cut.slice(0, paragraph);
      continue;
    }
    // One giant paragraph: fall back to characters, never splitting a surrogate pair.
    cut = [...cut].slice(0, Math.max(0, Math.floor(room * 0.9))).join('');
  }
  return `${cut}${TRUNCATION_NOTE}`;
}
