/**
 * Where each run's latency came from (run lines' `latencySource`, `latencyReason`, `traceErrors`) as the
 * report says it: a cell whose runs could not read their traces, or whose sides measured latency from
 * different sources (root span on one side, wall time on the other), is flagged in its notes, so a
 * "+7889%" that only compares wall time with a span is never read as a regression of the code.
 */
import type { RunLine, Side } from '../results/format.js';
import type { CellRuns } from './cells.js';

/** How many completed runs took their latency from each source; undefined when no run recorded one. */
export function latencySourceCounts(runs: readonly RunLine[]): Record<string, number> | undefined {
  let counts: Record<string, number> | undefined;
  for (const run of runs) {
    if (run.status !== 'completed' || run.latencySource === undefined) continue;
    counts ??= {};
    counts[run.latencySource] = (counts[run.latencySource] ?? 0) + 1;
  }
  return counts;
}

/** What a cell's runs say about their latency sources: its notes, and how many runs per side could not read a trace file. */
export interface LatencySourceReview {
  /** Notes about latency sources and unreadable trace files (none when all is as expected). */
  notes: string[];
  unreadable: Record<Side, number>;
}

/** The cell's notes about latency sources and unreadable trace files, with the counts `unreadableTraceWarning` sums. */
export function reviewLatencySources(runs: CellRuns): LatencySourceReview {
  const notes: string[] = [];
  const unreadable = { base: unreadableCount(runs.base), head: unreadableCount(runs.head) };
  for (const side of ['base', 'head'] as const) {
    if (unreadable[side] === 0) continue;
    const broken = runs[side].filter(hasUnreadableTrace);
    const sources = describe(latencySourceCounts(broken));
    notes.push(
      `${broken.length} of ${runs[side].length} ${side} run${runs[side].length === 1 ? '' : 's'} had a trace file that could not be read ` +
        `(${broken[0]!.traceErrors![0]})${sources ? `: latency from ${sources}` : ''}`,
    );
  }
  const base = latencySourceCounts(runs.base);
  const head = latencySourceCounts(runs.head);
  if (base && head && kinds(base) !== kinds(head)) {
    notes.push(`latency measured differently on the two sides (base: ${describe(base)}; head: ${describe(head)}): the comparison mixes span and wall time`);
  }
  const merged = mergeNote(runs.base) ?? mergeNote(runs.head);
  if (merged) notes.push(merged);
  return { notes, unreadable };
}

const hasUnreadableTrace = (run: RunLine) => (run.traceErrors?.length ?? 0) > 0;

/** Counted while the cell's runs are at hand: a second walk over millions of runs for the warning cost more. */
function unreadableCount(runs: readonly RunLine[]): number {
  let count = 0;
  for (let i = 0; i < runs.length; i++) if (hasUnreadableTrace(runs[i]!)) count++;
  return count;
}

/** One line for the report's warnings when any run of the report could not read a trace file (`unreadable` of each cell's review). */
export function unreadableTraceWarning(cells: readonly { unreadable: Record<Side, number> }[]): string | undefined {
  const count: Record<Side, number> = { base: 0, head: 0 };
  let affected = 0;
  for (const { unreadable } of cells) {
    count.base += unreadable.base;
    count.head += unreadable.head;
    if (unreadable.base + unreadable.head > 0) affected++;
  }
  if (affected === 0) return undefined;
  return `trace files could not be read in ${count.base} base and ${count.head} head runs (${affected} cell${affected === 1 ? '' : 's'}): their latency did not come from their spans; see the cells' notes`;
}

function describe(counts: Record<string, number> | undefined): string {
  if (!counts) return '';
  return Object.entries(counts)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([source, n]) => `${source} ×${n}`)
    .join(', ');
}

/** Root and named spans count alike; what must not mix is span time with wall time. */
function kinds(counts: Record<string, number>): string {
  return Object.keys(counts).map((s) => (s === 'wall' ? 'wall' : 'span')).sort().filter((k, i, a) => a.indexOf(k) === i).join('+');
}

function mergeNote(runs: readonly RunLine[]): string | undefined {
  for (const run of runs) {
    const clause = run.latencyReason?.split('; ').find((part) => part.includes('trace files merged'));
    if (clause) return `${run.side} runs: ${clause}`;
  }
  return undefined;
}
