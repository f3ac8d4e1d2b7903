/**
 * Fitting a document into GitHub's limits without ever failing: measures (characters or UTF-8 bytes),
 * a `Room` that sections take their parts from one at a time, and, only when even the barest version is
 * too long, a cut at a paragraph boundary with a note saying where the rest is.
 */

export type Measure = (text: string) => number;

/** GitHub counts characters for comments and check runs; JS length (UTF-16 units) never undercounts. */
export const characters: Measure = (text) => text.length;

/** The job summary's limit is in bytes of UTF-8 (counted without encoding; a lone surrogate is 3 bytes, as TextEncoder writes it). */
export const utf8Bytes: Measure = (text) => {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
};

/**
 * What is left of a document's budget. Parts are taken in order of importance, each with the separator
 * that joins it to the previous part, so the cost of a document is the sum of its parts' costs: rendering
 * stays one pass however many cells there are.
 */
export class Room {
  private used = 0;

  constructor(
    readonly max: number,
    readonly measure: Measure,
  ) {}

  get left(): number {
    return this.max - this.used;
  }

  /** The cost of `text` joined with `separator` characters (newlines: one unit in either measure). */
  cost(text: string, separator = 0): number {
    return this.measure(text) + separator;
  }

  /** Takes `cost` units when they fit (below `limit`, default the whole room); says whether it did. */
  take(cost: number, limit = this.left): boolean {
    if (cost > Math.min(limit, this.left)) return false;
    this.used += cost;
    return true;
  }

  /** Takes `cost` units whether or not they fit (parts that must appear); `left` may go negative. */
  force(cost: number): void {
    this.used += cost;
  }

  give(cost: number): void {
    this.used -= cost;
  }
}

export const TRUNCATION_NOTE = '\n\n**(Report truncated: see the job summary / HTML report for the rest.)**';

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
