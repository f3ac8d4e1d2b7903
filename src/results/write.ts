/**
 * Writes results.jsonl (DESIGN §7): a header, then each run's line (with its count of span lines)
 * followed by its span lines, appended and flushed to disk run by run so a killed job loses nothing it
 * finished; a footer only when the plan finished. An existing file is never overwritten: without
 * `resume` it is refused. Resuming keeps every complete run, drops a line cut short by the kill and the
 * runs whose spans it cut short, and reports the ids recorded so the runner skips them.
 */
import { closeSync, existsSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { inputError } from '../errors.js';
import type { FooterLine, HeaderLine, RunLine, SpanLine } from './format.js';
import { bufferLines, stringLines } from './lines.js';
import { MAX_LINE_BYTES, parseResults } from './read.js';
import { toSpanLine } from '../traces/lines.js';
import type { Span } from '../traces/span.js';

export interface ResultsWriter {
  readonly file: string;
  /** Ids of the run lines already in the file (resume skips them). */
  readonly recordedIds: ReadonlySet<string>;
  /** Run lines in the file, recorded earlier or by this writer, in file order. */
  readonly runs: readonly RunLine[];
  /** Appends one run and its spans in a single write, then flushes it to disk. */
  append(run: RunLine, spans: readonly SpanLine[]): void;
  /** Writes the footer that marks the plan as finished, and closes the file. */
  finish(): void;
  /** Closes the file without a footer (the job stopped early; resume continues it). */
  close(): void;
}

export interface OpenOptions {
  /** Continue an existing file instead of starting a new one. */
  resume: boolean;
  now?: () => Date;
  /** Where notes go that do not stop the job (e.g. a run re-run because its spans were cut short). */
  warn?: (message: string) => void;
}

/**
 * Refuses, before anything runs, what would mix or overwrite results: an existing file without
 * `resume` (its runs would be lost), and with `resume` a file of another side, experiment or commit
 * (its runs would be mixed with this checkout's under one header).
 */
export function checkResultsTarget(file: string, header: HeaderLine, resume: boolean): void {
  if (!resume) {
    if (existsSync(file)) {
      throw inputError({ file }, 'a results file is already there; pass --resume to continue it, or choose another --out (or remove the file) to start over');
    }
    return;
  }
  const existing = readExisting(file);
  if (existing !== undefined) checkHeader(parseResults(existing, file).header, header, file);
}

function checkHeader(found: HeaderLine | undefined, wanted: HeaderLine, file: string): void {
  if (!found) return;
  if (found.side !== wanted.side) {
    throw inputError({ file, line: 1, field: 'side' }, `cannot resume: this file holds the ${found.side} side, not ${wanted.side}`);
  }
  const experimentId = (found.experiment as { id?: unknown } | undefined)?.id;
  const wantedId = (wanted.experiment as { id?: unknown } | undefined)?.id;
  if (experimentId !== undefined && wantedId !== undefined && experimentId !== wantedId) {
    throw inputError({ file, line: 1, field: 'experiment.id' }, `cannot resume: the file belongs to experiment ${String(experimentId)}, the config to ${String(wantedId)} (remove the file or pick another --out)`);
  }
  if (found.sha && wanted.sha && found.sha !== wanted.sha) {
    throw inputError(
      { file, line: 1, field: 'sha' },
      `cannot resume: the file was measured at commit ${found.sha.slice(0, 12)}, the ${wanted.side} side is now at ${wanted.sha.slice(0, 12)} (a new commit? start over with another --out, or remove the file)`,
    );
  }
}

/**
 * Opens a results file for writing. A fresh file gets `header` as its first line; an existing file
 * without `resume` is refused (checkResultsTarget). With `resume`, the file must belong to the same side,
 * experiment and commit; its truncated last line and any footer are dropped (the footer is written again
 * when the plan finishes), and so is every run whose span lines are fewer than its `spans` count says
 * (the kill cut them short): those runs are run again.
 */
export function openResults(file: string, header: HeaderLine, options: OpenOptions): ResultsWriter {
  const now = options.now ?? (() => new Date());
  mkdirSync(dirname(file), { recursive: true });
  const runs: RunLine[] = [];
  const recordedIds = new Set<string>();
  checkResultsTarget(file, header, options.resume);
  const existing = options.resume ? readExisting(file) : undefined;
  if (existing !== undefined) {
    const parsed = parseResults(existing, file);
    checkHeader(parsed.header, header, file);
    const spansOf = new Map<string, number>();
    for (const span of parsed.spans) spansOf.set(span.run, (spansOf.get(span.run) ?? 0) + 1);
    const incomplete = new Set<string>();
    for (const run of parsed.runs) {
      if (run.spans !== undefined && (spansOf.get(run.id) ?? 0) < run.spans) {
        incomplete.add(run.id);
        continue;
      }
      runs.push(run);
      recordedIds.add(run.id);
    }
    if (incomplete.size > 0) {
      options.warn?.(`${file}: ${incomplete.size} run(s) whose span lines were cut short will run again: ${[...incomplete].slice(0, 5).join(', ')}${incomplete.size > 5 ? ', …' : ''}`);
    }
    // Rewrite through a temporary file so a second kill cannot leave the file half rewritten; line by
    // line, so a file of millions of runs never becomes one string.
    const tmp = openSync(`${file}.tmp`, 'w');
    try {
      for (const line of keptLineTexts(existing, parsed.header ? undefined : header, incomplete)) writeSync(tmp, line + '\n');
      fdatasyncSync(tmp);
    } finally {
      closeSync(tmp);
    }
    renameSync(`${file}.tmp`, file);
  } else {
    writeFileSync(file, JSON.stringify(header) + '\n', { flag: options.resume ? 'w' : 'wx' });
  }
  const fd = openSync(file, 'a');
  let open = true;
  const write = (text: string) => {
    writeSync(fd, text);
    fdatasyncSync(fd);
  };
  return {
    file,
    recordedIds,
    runs,
    append(run, spans) {
      if (!open) throw new Error(`results file ${file} is closed`);
      // The run line says how many span lines follow, so a resume can tell a run whose spans were cut short.
      write([{ ...run, spans: spans.length }, ...spans].map((line) => JSON.stringify(line)).join('\n') + '\n');
      runs.push(run);
      recordedIds.add(run.id);
    },
    finish() {
      if (!open) return;
      const footer: FooterLine = { type: 'footer', complete: true, runs: runs.length, finishedAt: now().toISOString() };
      write(JSON.stringify(footer) + '\n');
      this.close();
    },
    close() {
      if (!open) return;
      open = false;
      closeSync(fd);
    },
  };
}

function readExisting(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw inputError({ file }, `cannot read the results file to resume it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * The lines of an interrupted file worth keeping: every complete JSON line except footers and the lines
 * of `dropRuns` (runs to run again). A last line without its newline is what a kill mid-write leaves
 * behind; it is dropped.
 */
export function keptLines(content: string | Buffer, missingHeader?: HeaderLine, dropRuns: ReadonlySet<string> = new Set()): string {
  return [...keptLineTexts(content, missingHeader, dropRuns)].map((line) => line + '\n').join('');
}

function* keptLineTexts(content: string | Buffer, missingHeader: HeaderLine | undefined, dropRuns: ReadonlySet<string>): Generator<string> {
  if (missingHeader) yield JSON.stringify(missingHeader);
  for (const line of typeof content === 'string' ? stringLines(content, MAX_LINE_BYTES) : bufferLines(content, MAX_LINE_BYTES)) {
    if (line.tooLong || line.cutShort || line.text.trim() === '') continue;
    try {
      const value = JSON.parse(line.text) as { type?: unknown; id?: unknown; run?: unknown };
      if (value.type === 'footer') continue;
      if (value.type === 'run' && typeof value.id === 'string' && dropRuns.has(value.id)) continue;
      if (value.type === 'span' && typeof value.run === 'string' && dropRuns.has(value.run)) continue;
      yield line.text;
    } catch {
      // Not a line worth keeping (the reader warned about it).
    }
  }
}

/**
 * The results line of one span (src/traces/lines.ts), with bigint attribute values turned into decimal
 * strings: JSON cannot hold them, and numbers would lose digits past 2^53.
 */
export function spanLine(runId: string, span: Span): SpanLine {
  const line = toSpanLine(runId, span);
  line.attributes = JSON.parse(JSON.stringify(line.attributes, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value))) as Record<string, unknown>;
  return line;
}
