/**
 * Check-run annotations for a report (DESIGN §8): one on the config-file line of each regressed cell's
 * input, and one on each source line named by a regressed span of such a cell, when that file is part
 * of the repository (GitHub rejects annotations on paths it does not know). Pure: which files exist is
 * passed in. Messages are plain text (GitHub shows annotation text literally), cut to GitHub's limits.
 */
import type { CellReport, Report } from '../report/model.js';
import { byConcern, causes } from '../report/matrix.js';
import { repoRelativePath, type RepoRoots } from '../report/source-path.js';
import { metricStatsLine, regressedMetrics } from '../report/metrics-text.js';

export interface Annotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

export interface AnnotationSources {
  /** Repository-relative path of the config file, '/' separated. */
  configFile: string;
  /** 1-based line of each input id in the config file. */
  inputLines: Record<string, number>;
  /** Whether a repository-relative path is a file in the repository. */
  fileExists: (path: string) => boolean;
  /** Regressions accepted by label are warnings, not failures. */
  accepted: boolean;
  /** Checkouts on the runner: span code paths under them become repository-relative (report/source-path.ts). */
  roots?: RepoRoots;
}

/** GitHub caps an annotation's message at 64 KB and its title at 255 characters; we stay well inside. */
export const MAX_MESSAGE_CHARS = 4_000;
export const MAX_TITLE_CHARS = 255;
/** GitHub accepts at most 50 annotations per check-run request. */
export const ANNOTATIONS_PER_REQUEST = 50;

/**
 * At most this many annotations per check run (10 requests): a matrix with thousands of regressions gets
 * those of its worst cells, not thousands of requests each repeating the check's summary.
 */
export const MAX_ANNOTATIONS = 500;

/**
 * Annotations for every regressed cell of the report, config lines first, then source lines. Beyond
 * MAX_ANNOTATIONS, the worst cells first (regressions by latency ratio), each with its config line and
 * its source lines, up to the cap.
 */
export function buildAnnotations(report: Report, sources: AnnotationSources): Annotation[] {
  const regressed = report.cells.filter((c) => c.verdict === 'regression');
  const groups = annotationsPerCell(regressed, sources);
  const count = groups.reduce((n, g) => n + g.config.length + g.spans.length, 0);
  if (count <= MAX_ANNOTATIONS) return [...groups.flatMap((g) => g.config), ...groups.flatMap((g) => g.spans)];
  return annotationsPerCell(byConcern(regressed, (c) => c), sources).flatMap((g) => [...g.config, ...g.spans]).slice(0, MAX_ANNOTATIONS);
}

/** Per cell, in the given order: the annotation on its config line, and those on the source lines of its causes. */
function annotationsPerCell(regressed: CellReport[], sources: AnnotationSources): { config: Annotation[]; spans: Annotation[] }[] {
  const level = sources.accepted ? 'warning' : 'failure';
  const configExists = sources.fileExists(sources.configFile);
  const seen = new Set<string>();
  return regressed.map((cell) => {
    const line = configLineOf(cell, sources.inputLines);
    const config = line === undefined || !configExists ? [] : [annotation(sources.configFile, line, level, `Frametail: ${cell.input} × ${cell.variant} regressed`, cellMessage(cell))];
    // The same operations the comment names: each cause, and the span inside it that grew most (often the
    // exact line that got slower). Noise and ancestors of a cause get no annotation.
    const spans = causes(cell).flatMap((cause) => (cause.within ? [cause.span, cause.within] : [cause.span])).flatMap((span) => {
      const path = span.code ? repoRelativePath(span.code.file, sources.roots) : undefined;
      if (!span.code || path === undefined || !sources.fileExists(path)) return [];
      const line = typeof span.code.line === 'number' && Number.isFinite(span.code.line) && span.code.line >= 1 ? Math.floor(span.code.line) : 1;
      const key = `${path}:${line}:${span.path}`;
      if (seen.has(key)) return [];
      seen.add(key);
      const onPath = span.onCriticalPath ? '; it is on the critical path.' : '.';
      if (span.ratio === null) {
        const what = span.presence === 'head-only' ? 'New span' : 'Removed span';
        const message = `${what} ${span.path}: ${span.baseMs.toFixed(1)} ms → ${span.headMs.toFixed(1)} ms (${span.deltaMs >= 0 ? '+' : ''}${span.deltaMs.toFixed(1)} ms, absent = 0 ms) in ${cell.input} × ${cell.variant}${onPath}`;
        return [annotation(path, line, level, `Frametail: ${what.toLowerCase()} ${span.name}`, message)];
      }
      const message =
        `Span ${span.path} took ${span.baseMs.toFixed(1)} ms → ${span.headMs.toFixed(1)} ms ` +
        `(${signedPercent(span.ratio)}) in ${cell.input} × ${cell.variant}` + onPath;
      return [annotation(path, line, level, `Frametail: span ${span.name} slower`, message)];
    });
    return { config, spans };
  });
}

/** Splits annotations into the batches GitHub accepts per request (first batch creates the check run). */
export function annotationBatches<T>(annotations: readonly T[], size = ANNOTATIONS_PER_REQUEST): T[][] {
  const batches: T[][] = [];
  for (let i = 0; i < annotations.length; i += size) batches.push(annotations.slice(i, i + size));
  return batches;
}

/**
 * The config line of a cell's input. Ids are plain strings from artifacts (untrusted in mode report): an
 * id like `constructor` or `__proto__` must not read Object.prototype, and only a positive integer is a
 * line GitHub accepts (anything else would make it reject the whole request with 422).
 */
function configLineOf(cell: CellReport, inputLines: Record<string, number>): number | undefined {
  const candidates = [cell.configLine, Object.hasOwn(inputLines, cell.input) ? inputLines[cell.input] : undefined];
  return candidates.find((line): line is number => typeof line === 'number' && Number.isInteger(line) && line >= 1);
}

/** What the annotation on a regressed cell's config line says: each regression (latency, success, gated metrics) and the medians. */
function cellMessage(cell: CellReport): string {
  const parts: string[] = [];
  if (cell.latency?.verdict === 'regression') {
    parts.push(`Latency ${signedPercent(cell.latency.ratio)} (90% interval ${signedPercent(cell.latency.ciLow)} to ${signedPercent(cell.latency.ciHigh)}, q ${cell.latency.q.toPrecision(2)}): ${cell.latency.reason}`);
  }
  if (cell.success?.verdict === 'regression') {
    parts.push(`Success rate ${percent(cell.success.base.rate)} → ${percent(cell.success.head.rate)}: ${cell.success.reason}`);
  }
  for (const m of regressedMetrics(cell)) parts.push(metricStatsLine(m));
  parts.push(`Median ${fmt(cell.base.medianMs)} → ${fmt(cell.head.medianMs)} over ${cell.base.runs} / ${cell.head.runs} runs.`);
  return parts.join('\n');
}

function annotation(path: string, line: number, level: Annotation['annotation_level'], title: string, message: string): Annotation {
  return { path, start_line: line, end_line: line, annotation_level: level, title: cut(oneLine(title), MAX_TITLE_CHARS), message: cut(message, MAX_MESSAGE_CHARS) };
}

function signedPercent(ratio: number): string {
  const change = (ratio - 1) * 100;
  return `${change >= 0 ? '+' : ''}${change.toFixed(1)}%`;
}
const percent = (rate: number) => `${(rate * 100).toFixed(1)}%`;
const fmt = (ms: number | null) => (ms === null ? 'n/a' : `${ms.toFixed(1)} ms`);
const oneLine = (text: string) => text.replace(/[\r\n\u2028\u2029]+/g, ' ');
function cut(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join('')}…`;
}
