/**
 * The PR comment, the job summary and the check run output: the same experiment page assembled from
 * the sections in `sections.ts`, each fitted to its GitHub limit by dropping detail step by step.
 */
import { breakNotifications, truncate } from '../escape.js';
import { verdictSentence } from '../headline.js';
import { buildMatrix } from '../matrix.js';
import type { Report } from '../model.js';
import { characters, fitToBudget, truncateToBudget, utf8Bytes } from './budget.js';
import { ratioChart } from './chart.js';
import { COMMENT_DETAIL, SUMMARY_DETAIL, detailLadder, type Detail } from './detail.js';
import {
  detailsSection,
  experimentSection,
  footerSection,
  headlineSection,
  resultsSection,
  ruledOutSection,
  warningsSection,
  type SourceUrl,
} from './sections.js';

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

type Part = 'overview' | 'details';

function assemble(report: Report, detail: Detail, parts: Part[], sourceUrl: SourceUrl | undefined, reproduce?: string): string {
  const sections: string[] = [];
  if (parts.includes('overview')) {
    sections.push(experimentSection(report, detail), resultsSection(report, detail));
  }
  if (parts.includes('details')) {
    if (detail.chart) sections.push(ratioChart(report));
    sections.push(detailsSection(report, detail, sourceUrl), ruledOutSection(report, detail), warningsSection(report, detail));
  }
  if (reproduce !== undefined) sections.push(footerSection(report, reproduce));
  return sections.filter((s) => s !== '').join('\n\n');
}

function rowCount(report: Report): number {
  return buildMatrix(report).rows.length;
}

function fullDocument(report: Report, options: MarkdownOptions, start: Detail, measure: typeof characters, max: number): string {
  const head = `${safeMarker(options.marker)}\n${headlineSection(report)}\n\n`;
  const room = max - measure(head) - 1;
  const body = fitToBudget(
    (detail) => assemble(report, detail, ['overview', 'details'], options.sourceUrl, options.reproduce),
    detailLadder(start, rowCount(report)),
    measure,
    room,
  );
  const document = `${head}${body}\n`;
  return measure(document) <= max ? document : truncateToBudget(document, measure, max);
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
  return fullDocument(report, options, COMMENT_DETAIL, characters, options.maxChars ?? COMMENT_LIMIT);
}

/**
 * The job summary: the comment's content with more detail (every changed or undecided cell, more
 * operations, all warnings), at most `maxChars` bytes of UTF-8 (default 1 MiB).
 */
export function renderSummary(report: Report, options: MarkdownOptions): string {
  return fullDocument(report, options, SUMMARY_DETAIL, utf8Bytes, options.maxChars ?? SUMMARY_LIMIT_BYTES);
}

/**
 * Check run output: the verdict sentence as title, the experiment page and table as summary, the
 * chart and cell details as text; summary and text each at most 65,535 characters.
 */
export function renderCheckOutput(report: Report, options: MarkdownOptions): { title: string; summary: string; text: string } {
  const max = Math.min(options.maxChars ?? CHECK_TEXT_LIMIT, CHECK_TEXT_LIMIT);
  const ladder = detailLadder(SUMMARY_DETAIL, rowCount(report));
  const summary = fitToBudget(
    (detail) => `${headlineSection(report)}\n\n${assemble(report, detail, ['overview'], options.sourceUrl)}`,
    ladder,
    characters,
    max,
  );
  const text = fitToBudget(
    (detail) => assemble(report, detail, ['details'], options.sourceUrl, options.reproduce),
    ladder,
    characters,
    max,
  );
  return { title: breakNotifications(truncate(verdictSentence(report), 200)), summary, text };
}
