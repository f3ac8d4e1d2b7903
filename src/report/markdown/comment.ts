/**
 * The PR comment, the job summary and the check run output: the same experiment page assembled from
 * the sections in `sections.ts`, each fitted to its GitHub limit by dropping detail step by step.
 */
import { breakNotifications, truncate } from '../escape.js';
import { verdictSentence } from '../headline.js';
import type { Report } from '../model.js';
import { characters, truncateToBudget, utf8Bytes, type Measure } from './budget.js';
import { COMMENT_DETAIL, CUTTING_LEVELS, SUMMARY_DETAIL, detailLadder, type Detail } from './detail.js';
import { layout, RenderCache, type Laid, type LayoutSpec } from './layout.js';
import { headlineSection } from './sections.js';

export interface MarkdownOptions {
  /** Hidden marker placed first, e.g. '<!-- frametail:exp_abc123def456 -->' (trusted: built by the adapter). */
  marker: string;
  /** Command line that reproduces the comparison locally (shown in a code block). */
  reproduce: string;
  /** Link for a code location; undefined = plain text. Only http(s) URLs are used. */
  sourceUrl?: (file: string, line?: number) => string | undefined;
  /** Budget in characters (comment) or bytes (summary). */
  maxChars?: number;
}

/** GitHub's limits: issue comment body and check-run summary/text in characters, step summary in bytes. */
export const COMMENT_LIMIT = 65_536;
export const CHECK_TEXT_LIMIT = 65_535;
export const SUMMARY_LIMIT_BYTES = 1_048_576;

/**
 * The first level of the ladder where the whole document fits; past the strict levels, the barest
 * level with what does not fit left out (and counted); cut at a paragraph only when even the parts
 * that must appear are too long. Each level is laid out once, so the cost is linear in the cells.
 */
function fitted(report: Report, spec: LayoutSpec, start: Detail, measure: Measure, max: number): string {
  const ladder = detailLadder(start);
  const cache = new RenderCache();
  let last: Laid | null = null;
  for (const [level, detail] of ladder.entries()) {
    last = layout(report, detail, spec, measure, max, level >= ladder.length - CUTTING_LEVELS, cache);
    if (last?.fits) break;
  }
  const text = last!.text;
  return last!.fits && measure(text) <= max ? text : truncateToBudget(text, measure, max);
}

function fullDocument(report: Report, options: MarkdownOptions, start: Detail, measure: Measure, max: number, elsewhere: string): string {
  const spec: LayoutSpec = {
    prefix: `${safeMarker(options.marker)}\n${headlineSection(report)}\n\n`,
    suffix: '\n',
    overview: true,
    details: true,
    reproduce: options.reproduce,
    ...(options.sourceUrl ? { sourceUrl: options.sourceUrl } : {}),
    elsewhere,
  };
  return fitted(report, spec, start, measure, max);
}

/** The marker must stay one HTML comment on one line; anything else is dropped rather than trusted. */
function safeMarker(marker: string): string {
  return /^<!--[^\n<>]*-->$/.test(marker) && !marker.slice(4, -3).includes('--') ? marker : '';
}

/**
 * The sticky PR comment: marker, verdict sentence, experiment page, results table, chart, collapsed
 * details of regressed cells, footer. At most `maxChars` (default 65,536) characters, always.
 */
export function renderComment(report: Report, options: MarkdownOptions): string {
  return fullDocument(report, options, COMMENT_DETAIL, characters, options.maxChars ?? COMMENT_LIMIT, 'the job summary / HTML report');
}

/**
 * The job summary: the comment's content with more detail (every changed or undecided cell, more
 * operations, all warnings), at most `maxChars` bytes of UTF-8 (default 1 MiB).
 */
export function renderSummary(report: Report, options: MarkdownOptions): string {
  return fullDocument(report, options, SUMMARY_DETAIL, utf8Bytes, options.maxChars ?? SUMMARY_LIMIT_BYTES, 'the HTML report / report.json');
}

/**
 * Check run output: the verdict sentence as title, the experiment page and table as summary, the
 * chart and cell details as text; summary and text each at most 65,535 characters.
 */
export function renderCheckOutput(report: Report, options: MarkdownOptions): { title: string; summary: string; text: string } {
  const max = Math.min(options.maxChars ?? CHECK_TEXT_LIMIT, CHECK_TEXT_LIMIT);
  const common = { suffix: '', ...(options.sourceUrl ? { sourceUrl: options.sourceUrl } : {}), elsewhere: 'the job summary / HTML report' };
  const summary = fitted(report, { ...common, prefix: `${headlineSection(report)}\n\n`, overview: true, details: false }, SUMMARY_DETAIL, characters, max);
  const text = fitted(report, { ...common, prefix: '', overview: false, details: true, reproduce: options.reproduce }, SUMMARY_DETAIL, characters, max);
  return { title: breakNotifications(truncate(verdictSentence(report), 200)), summary, text };
}
