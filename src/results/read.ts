/**
 * Reads results.jsonl files (DESIGN §7) into typed lines. A file is untrusted input: every malformed
 * line becomes a `file:LINE: what is wrong` warning and is skipped, so one bad line never hides the
 * runs around it. Only an unknown schema major version, or a file with nothing usable in it, is fatal.
 *
 * Files are read line by line (lines.ts), never as one string: memory grows with the runs and spans
 * kept, not with the size of the file; a line longer than MAX_LINE_BYTES is skipped unread; warnings go
 * through the bounded WarningLog (src/warnings.ts); at most MAX_SPANS span lines are kept per file.
 * Run lines are kept in the slim form of run-line.ts (no wall time, trace id or start time); a run line
 * as frametail's writer writes it is read from its bytes (run-line-bytes.ts), any other line through
 * JSON.parse and the schemas, with the same result.
 */
import { stat } from 'node:fs/promises';
import type { z } from 'zod';
import { InputError, inputError } from '../errors.js';
import { WarningLog } from '../warnings.js';
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
import { readFileLines, splitBufferLines, stringLines, textLine, type LineSink, type RawLine } from './lines.js';
import { hashOfAscii, RunIds } from './run-ids.js';
import { arraySource, RunStore, type RunSource } from './run-store.js';
import { fastRunLine, slimRunLine } from './run-line.js';
import { ByteNames, scanRunLine, type ScannedRun } from './run-line-bytes.js';

export interface ResultsFile {
  file: string;
  header?: HeaderLine;
  /**
   * The runs, in file order. A file read here keeps them in a RunStore (`runStoreOf`) and builds this
   * array only when it is first asked for: compare reads the store instead.
   */
  runs: RunLine[];
  spans: SpanLine[];
  footer?: FooterLine;
  /** Bounded: at most MAX_WARNINGS, then one line counting the rest (src/warnings.ts). */
  warnings: string[];
}

/** Longest line read; a results line is a few hundred bytes, a span with attributes a few KB. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024;
/** Span lines kept per file; span analysis of more is not worth its memory. */
export const MAX_SPANS = 2_000_000;

/** Reads and parses one results file, streaming; a missing or unreadable file is an InputError (exit 2). */
export async function readResults(file: string): Promise<ResultsFile> {
  const parser = new ResultsParser(file);
  try {
    // A FIFO would hang the reader and a device (/dev/zero) would never end: regular files only.
    const kind = await stat(file);
    if (kind.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    if (!kind.isFile()) throw inputError({ file }, 'not a regular file (a FIFO, socket or device); pass the results.jsonl file itself');
    await readFileLines(file, MAX_LINE_BYTES, parser);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === undefined || error instanceof InputError) throw error;
    throw inputError({ file }, code === 'ENOENT' ? 'no such results file' : code === 'EISDIR' ? 'a directory, not a results file' : `cannot read the results file (${code})`);
  }
  return parser.finish();
}

/**
 * Parses the text (or bytes, e.g. a zip entry) of a results file. Pure: `file` is only used in messages.
 * Lines are 1-based in every warning and error.
 */
export function parseResults(content: string | Uint8Array, file: string): ResultsFile {
  const parser = new ResultsParser(file);
  if (typeof content === 'string') for (const line of stringLines(content, MAX_LINE_BYTES)) parser.push(line);
  else splitBufferLines(content, MAX_LINE_BYTES, parser);
  return parser.finish();
}

const SCHEMA_PATTERN = /^frametail\.results\/(\d+)(?:\.\d+)*$/;

/** Takes the lines of one results file in order, as text or as bytes; `finish` gives the file. */
export class ResultsParser implements LineSink {
  private readonly result: ResultsFile;
  private readonly warnings = new WarningLog();
  private readonly store = new RunStore();
  private readonly runIds = new RunIds((index) => this.store.id(index));
  /** The line of each kept run, for the message about a repeated id. */
  private readonly runLines: number[] = [];
  /** One string per distinct input, variant and run-id prefix, instead of one per line. */
  private readonly names = new Map<string, string>();
  private nonBlank = 0;
  private spansDropped = 0;
  private firstProblem: string | undefined;

  constructor(private readonly file: string) {
    this.result = { file, runs: [], spans: [], warnings: [] };
    withRunStore(this.result, this.store);
  }

  /** A line as bytes (LineSink), from a file or a buffer: a run line as the writer writes it is read from its bytes, any other line as text. */
  line(bytes: Buffer, start: number, end: number, number: number, cutShort: boolean): void {
    const scanned = scanRunLine(bytes, start, end, this.byteNames);
    if (!scanned) return this.push(textLine(bytes, start, end, number, cutShort));
    this.nonBlank++;
    if (scanned.idBytes) return this.keepRun(scanned.run, number, scanned);
    // An id with escapes or other than ASCII: as a string, as the JSON.parse path keeps it.
    this.keepRun({ ...scanned.run, id: scanned.idText() }, number);
  }

  /** The line being kept by `keepRun` from its bytes, for `sameScannedId`. */
  private scanned: ScannedRun | undefined;
  private readonly sameScannedId = (kept: number) => this.store.idEquals(kept, this.scanned!.idBytes!, this.scanned!.idFrom, this.scanned!.idTo);

  tooLong(number: number): void {
    this.push({ number, text: '', tooLong: true });
  }

  push(line: RawLine): void {
    if (line.tooLong) {
      this.nonBlank++;
      return this.warn(line.number, `longer than ${MAX_LINE_BYTES} bytes; the line is ignored`);
    }
    const text = line.text.trim();
    if (text === '') return;
    this.nonBlank++;
    // Every results line is an object: other text is refused without JSON.parse (whose exceptions cost
    // ~20 µs each, a minute for a few million junk lines).
    if (text[0] !== '{') {
      if (line.cutShort) this.warn(line.number, 'the last line is cut short (was the job killed?); it is ignored');
      else this.warn(line.number, 'not a JSON object; the line is ignored');
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      if (line.cutShort) this.warn(line.number, 'the last line is cut short (was the job killed?); it is ignored');
      else this.warn(line.number, 'not a JSON object; the line is ignored');
      return;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      this.warn(line.number, 'not a JSON object; the line is ignored');
      return;
    }
    const type = (value as { type?: unknown }).type;
    switch (type) {
      case 'header':
        return this.readHeader(value, line.number);
      case 'run':
        return this.readRun(value, line.number);
      case 'span':
        return this.readSpan(value, line.number);
      case 'footer': {
        const footer = this.parseLine(footerLineSchema, value, line.number);
        if (footer) this.result.footer = footer;
        return;
      }
      default:
        this.warn(line.number, `unknown line type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : JSON.stringify(type ?? null)?.slice(0, 40)} (expected header, run, span or footer); the line is ignored`);
    }
  }

  finish(): ResultsFile {
    const { result } = this;
    if (this.nonBlank > 0 && !result.header && this.store.length === 0 && result.spans.length === 0 && !result.footer) {
      throw inputError({ file: this.file }, `not a frametail results file: no usable line (first problem: ${this.firstProblem ?? 'none'}${this.warnings.total > 1 ? `; ${this.warnings.total} lines ignored` : ''})`);
    }
    this.store.trim();
    if (this.spansDropped > 0) this.warnings.add(`${this.file}: ${this.spansDropped} span lines beyond the first ${MAX_SPANS} were ignored`);
    result.warnings = this.warnings.list();
    return result;
  }

  private warn(line: number, message: string): void {
    if (this.firstProblem !== undefined && this.warnings.full) return this.warnings.count();
    const text = `${this.file}:${line}: ${message}`;
    this.firstProblem ??= text;
    this.warnings.add(text);
  }

  private readonly byteNames = new ByteNames((value) => this.name(value));

  private name(value: string): string {
    const known = this.names.get(value);
    if (known !== undefined) return known;
    if (this.names.size < 100_000) this.names.set(value, value);
    return value;
  }

  private readHeader(value: object, lineNo: number): void {
    const schema = (value as { schema?: unknown }).schema;
    if (typeof schema === 'string') {
      const major = SCHEMA_PATTERN.exec(schema)?.[1];
      const shown = JSON.stringify(schema.length > 60 ? schema.slice(0, 60) + '…' : schema);
      if (major === undefined) {
        throw inputError({ file: this.file, line: lineNo, field: 'schema' }, `${shown} is not a frametail results schema (expected ${RESULTS_SCHEMA})`);
      }
      if (major !== RESULTS_SCHEMA.split('/')[1]) {
        throw inputError({ file: this.file, line: lineNo, field: 'schema' }, `unknown schema version ${shown}: this frametail reads ${RESULTS_SCHEMA}; upgrade frametail to read it`);
      }
    }
    const header = this.parseLine(headerLineSchema, value, lineNo);
    if (!header) return;
    if (this.result.header) this.warn(lineNo, 'a second header line; the first one is kept');
    else this.result.header = header;
  }

  private readRun(raw: object, lineNo: number): void {
    const value = withCheckedMetrics(raw as Record<string, unknown>, (message) => this.warn(lineNo, message));
    let run = fastRunLine(value);
    if (!run) {
      const parsed = this.parseLine(runLineSchema, value, lineNo);
      if (!parsed) return;
      run = slimRunLine(parsed);
    }
    run.input = this.name(run.input);
    run.variant = this.name(run.variant);
    if (run.latencySource !== undefined) run.latencySource = this.name(run.latencySource);
    if (run.latencyReason !== undefined) run.latencyReason = this.name(run.latencyReason);
    this.keepRun(run, lineNo);
  }

  /**
   * Keeps a parsed run line (its names already interned) unless its latency is unusable or its id repeats
   * one. `scanned`: the line as read from its bytes, whose id is ASCII bytes there (`run.id` is not read).
   */
  private keepRun(run: RunLine, lineNo: number, scanned?: ScannedRun): void {
    if (run.latencyMs !== undefined && run.latencyMs !== null) {
      if (!Number.isFinite(run.latencyMs)) return this.warn(lineNo, `latencyMs: ${run.latencyMs} is not a finite number; the run is ignored`);
      if (run.latencyMs < 0) return this.warn(lineNo, `latencyMs: ${run.latencyMs} is negative; the run is ignored`);
    }
    if (run.status === 'completed' && (run.latencyMs === undefined || run.latencyMs === null)) {
      return this.warn(lineNo, 'latencyMs: missing on a completed run; the run is ignored');
    }
    this.scanned = scanned;
    const seen = scanned
      ? this.runIds.addOrFindHash(hashOfAscii(scanned.idBytes!, scanned.idFrom, scanned.idTo), this.store.length, this.sameScannedId)
      : this.runIds.addOrFind(run.id, this.store.length);
    if (seen !== undefined) return this.warn(lineNo, `id: run "${(scanned ? scanned.idText() : run.id).slice(0, 80)}" already appeared on line ${this.runLines[seen]}; the duplicate is ignored`);
    this.runLines.push(lineNo);
    if (scanned) this.store.push(run, scanned.idBytes, scanned.idFrom, scanned.idTo);
    else this.store.push(run);
  }

  private readSpan(value: object, lineNo: number): void {
    if (this.result.spans.length >= MAX_SPANS) {
      this.spansDropped++;
      return;
    }
    const span = this.parseLine(spanLineSchema, value, lineNo);
    if (!span) return;
    span.run = this.name(span.run);
    span.traceId = this.name(span.traceId);
    this.result.spans.push(span);
  }

  private parseLine<T>(schema: z.ZodType<T>, value: unknown, lineNo: number): T | undefined {
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0]!;
    const field = issue.path.map(String).join('.').slice(0, 80) || '(line)';
    const key = issue.path[0];
    const missing = issue.code === 'invalid_type' && (typeof key !== 'string' || !Object.hasOwn(value as object, key) || (value as Record<string, unknown>)[key] === undefined);
    this.warn(lineNo, `${field}: ${missing ? 'is missing' : issue.message}; the line is ignored`);
    return undefined;
  }
}

const STORES = new WeakMap<ResultsFile, RunStore>();

/**
 * `file.runs` built from `store` when first read (then kept); setting it replaces the runs. Until then
 * `runStoreOf(file)` gives the store, so that a comparison of millions of runs never holds them all as objects.
 */
function withRunStore(file: ResultsFile, store: RunStore): void {
  STORES.set(file, store);
  let runs: RunLine[] | undefined;
  Object.defineProperty(file, 'runs', {
    enumerable: true,
    configurable: true,
    get: () => {
      STORES.delete(file);
      return (runs ??= store.toArray());
    },
    set: (value: RunLine[]) => {
      STORES.delete(file);
      runs = value;
    },
  });
}

/** A results file (read elsewhere, e.g. by a worker thread) whose runs are `store`. */
export function resultsFileOf(parts: Omit<ResultsFile, 'runs'>, store: RunStore): ResultsFile {
  const file: ResultsFile = { file: parts.file, runs: [], spans: parts.spans, warnings: parts.warnings };
  withRunStore(file, store);
  if (parts.header) file.header = parts.header;
  if (parts.footer) file.footer = parts.footer;
  return file;
}

/**
 * The runs of `file` by index: the reader's store when `file.runs` was never read (nor set), else the
 * array `file.runs` (a file made in memory, or one whose runs a caller may have changed).
 */
export function runSourceOf(file: ResultsFile): RunSource {
  return STORES.get(file) ?? arraySource(file.runs);
}

/** How many runs `file` holds, without building them. */
export function runCount(file: ResultsFile): number {
  return STORES.get(file)?.length ?? file.runs.length;
}

/** Whether any run of `file` is of `side`, without building the runs. */
export function hasRunOfSide(file: ResultsFile, side: RunLine['side']): boolean {
  const runs = runSourceOf(file);
  for (let i = 0; i < runs.length; i++) if (runs.side(i) === side) return true;
  return false;
}

/** Metric values per run line kept at most; a run line is small. */
const MAX_RUN_METRICS = 64;

/**
 * The run line with its optional `metrics` and `missingMetrics` cleaned: a bad metric value costs that
 * value (a warning), never the run and its latency.
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
