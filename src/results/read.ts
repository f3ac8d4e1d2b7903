/**
 * Reads results.jsonl files (DESIGN §7) into typed lines. A file is untrusted input: every malformed
 * line becomes a `file:LINE: what is wrong` warning and is skipped, so one bad line never hides the
 * runs around it. Only an unknown schema major version, or a file with nothing usable in it, is fatal.
 */
import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { inputError } from '../errors.js';
import {
  footerLineSchema,
  headerLineSchema,
  RESULTS_SCHEMA,
  runLineSchema,
  spanLineSchema,
  type FooterLine,
  type HeaderLine,
  type RunLine,
  type SpanLine,
} from './format.js';

export interface ResultsFile {
  file: string;
  header?: HeaderLine;
  runs: RunLine[];
  spans: SpanLine[];
  footer?: FooterLine;
  warnings: string[];
}

/** Reads and parses one results file; a missing or unreadable file is an InputError (exit 2). */
export async function readResults(file: string): Promise<ResultsFile> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw inputError({ file }, code === 'ENOENT' ? 'no such results file' : `cannot read the results file (${code ?? String(error)})`);
  }
  return parseResults(text, file);
}

const SCHEMA_PATTERN = /^frametail\.results\/(\d+)(?:\.\d+)*$/;

/**
 * Parses the text of a results file. Pure: `file` is only used in messages.
 * Lines are 1-based in every warning and error.
 */
export function parseResults(text: string, file: string): ResultsFile {
  const result: ResultsFile = { file, runs: [], spans: [], warnings: [] };
  const lines = text.split('\n');
  const lastContentLine = findLastContentLine(lines);
  const truncatedTail = lastContentLine >= 0 && !text.endsWith('\n');
  const runIds = new Map<string, number>();
  let nonBlank = 0;
  let firstProblem: string | undefined;
  const warn = (line: number, message: string) => {
    const text = `${file}:${line}: ${message}`;
    firstProblem ??= text;
    result.warnings.push(text);
  };

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\r$/, '').trim();
    if (line === '') return;
    nonBlank++;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      if (index === lastContentLine && truncatedTail) warn(lineNo, 'the last line is cut short (was the job killed?); it is ignored');
      else warn(lineNo, 'not a JSON object; the line is ignored');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      warn(lineNo, 'not a JSON object; the line is ignored');
      return;
    }
    const type = (value as { type?: unknown }).type;
    switch (type) {
      case 'header':
        readHeader(value, lineNo);
        return;
      case 'run':
        readRun(value, lineNo);
        return;
      case 'span': {
        const span = parseLine(spanLineSchema, value, lineNo);
        if (span) result.spans.push(span);
        return;
      }
      case 'footer': {
        const footer = parseLine(footerLineSchema, value, lineNo);
        if (footer) result.footer = footer;
        return;
      }
      default:
        warn(lineNo, `unknown line type ${JSON.stringify(type ?? null)} (expected header, run, span or footer); the line is ignored`);
    }
  });

  if (nonBlank > 0 && !result.header && result.runs.length === 0 && result.spans.length === 0 && !result.footer) {
    throw inputError({ file }, `not a frametail results file: no usable line (first problem: ${firstProblem ?? 'none'})`);
  }
  return result;

  function readHeader(value: object, lineNo: number): void {
    const schema = (value as { schema?: unknown }).schema;
    if (typeof schema === 'string') {
      const major = SCHEMA_PATTERN.exec(schema)?.[1];
      if (major === undefined) {
        throw inputError({ file, line: lineNo, field: 'schema' }, `"${schema}" is not a frametail results schema (expected ${RESULTS_SCHEMA})`);
      }
      if (major !== RESULTS_SCHEMA.split('/')[1]) {
        throw inputError({ file, line: lineNo, field: 'schema' }, `unknown schema version "${schema}": this frametail reads ${RESULTS_SCHEMA}; upgrade frametail to read it`);
      }
    }
    const header = parseLine(headerLineSchema, value, lineNo);
    if (!header) return;
    if (result.header) warn(lineNo, 'a second header line; the first one is kept');
    else result.header = header;
  }

  function readRun(value: object, lineNo: number): void {
    const run = parseLine(runLineSchema, withCheckedMetrics(value as Record<string, unknown>, (message) => warn(lineNo, message)), lineNo);
    if (!run) return;
    if (run.latencyMs !== undefined && run.latencyMs !== null) {
      if (!Number.isFinite(run.latencyMs)) return warn(lineNo, `latencyMs: ${run.latencyMs} is not a finite number; the run is ignored`);
      if (run.latencyMs < 0) return warn(lineNo, `latencyMs: ${run.latencyMs} is negative; the run is ignored`);
    }
    if (run.status === 'completed' && (run.latencyMs === undefined || run.latencyMs === null)) {
      return warn(lineNo, 'latencyMs: missing on a completed run; the run is ignored');
    }
    const seen = runIds.get(run.id);
    if (seen !== undefined) return warn(lineNo, `id: run "${run.id}" already appeared on line ${seen}; the duplicate is ignored`);
    runIds.set(run.id, lineNo);
    result.runs.push(run);
  }

  function parseLine<T>(schema: z.ZodType<T>, value: unknown, lineNo: number): T | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.') || '(line)';
    const missing = issue.code === 'invalid_type' && (value as Record<string, unknown>)[String(issue.path[0])] === undefined;
    warn(lineNo, `${field}: ${missing ? 'is missing' : issue.message}; the line is ignored`);
    return undefined;
  }
}

/** Metric values per run line kept at most; a run line is small. */
const MAX_RUN_METRICS = 64;

/**
 * The run line with its optional `metrics` cleaned: a bad metric value costs that value (a warning), never
 * the run and its latency.
 */
function withCheckedMetrics(value: Record<string, unknown>, warn: (message: string) => void): Record<string, unknown> {
  const missing = value.missingMetrics;
  if (missing !== undefined && !(Array.isArray(missing) && missing.length <= MAX_RUN_METRICS && missing.every((m) => typeof m === 'string'))) {
    warn(`missingMetrics: not a list of at most ${MAX_RUN_METRICS} names; ignored`);
    const { missingMetrics: _dropped, ...rest } = value;
    value = rest;
  }
  const metrics = value.metrics;
  if (metrics === undefined) return value;
  if (typeof metrics !== 'object' || metrics === null || Array.isArray(metrics)) {
    warn('metrics: not an object of numbers; the run\'s metric values are ignored');
    const { metrics: _dropped, ...rest } = value;
    return rest;
  }
  const kept: Record<string, number> = {};
  let count = 0;
  for (const [name, metric] of Object.entries(metrics)) {
    if (++count > MAX_RUN_METRICS) {
      warn(`metrics: more than ${MAX_RUN_METRICS} values; the rest are ignored`);
      break;
    }
    if (typeof metric === 'number' && Number.isFinite(metric)) Object.defineProperty(kept, name, { value: metric, enumerable: true, writable: true, configurable: true });
    else warn(`metrics.${name.slice(0, 64)}: ${JSON.stringify(metric ?? null)?.slice(0, 32)} is not a finite number; the value is ignored`);
  }
  return { ...value, metrics: kept };
}

function findLastContentLine(lines: string[]): number {
  for (let i = lines.length - 1; i >= 0; i--) if (lines[i]!.trim() !== '') return i;
  return -1;
}
