/**
 * Writes results.jsonl (DESIGN §7): a header, then each run's line followed by its span lines, appended
 * and flushed to disk run by run so a killed job loses nothing it finished; a footer only when the plan
 * finished. Resuming keeps every complete run line, drops a line cut short by the kill, and reports the
 * ids already recorded so the runner skips them.
 */
import { closeSync, fdatasyncSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { inputError } from '../errors.js';
import type { FooterLine, HeaderLine, RunLine, SpanLine } from './format.js';
import { parseResults } from './read.js';
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
}

/**
 * Opens a results file for writing. A fresh file gets `header` as its first line. With `resume`, an
 * existing file must belong to the same side and experiment; its truncated last line and any footer
 * are dropped (the footer is written again when the plan finishes).
 */
export function openResults(file: string, header: HeaderLine, options: OpenOptions): ResultsWriter {
  const now = options.now ?? (() => new Date());
  mkdirSync(dirname(file), { recursive: true });
  const runs: RunLine[] = [];
  const recordedIds = new Set<string>();
  const existing = options.resume ? readExisting(file) : undefined;
  if (existing) {
    const parsed = parseResults(existing, file);
    const experimentId = (parsed.header?.experiment as { id?: unknown } | undefined)?.id;
    const wantedId = (header.experiment as { id?: unknown } | undefined)?.id;
    if (parsed.header && parsed.header.side !== header.side) {
      throw inputError({ file, line: 1, field: 'side' }, `cannot resume: this file holds the ${parsed.header.side} side, not ${header.side}`);
    }
    if (experimentId !== undefined && wantedId !== undefined && experimentId !== wantedId) {
      throw inputError({ file, line: 1, field: 'experiment.id' }, `cannot resume: the file belongs to experiment ${String(experimentId)}, the config to ${String(wantedId)} (remove the file or pick another --out)`);
    }
    for (const run of parsed.runs) {
      runs.push(run);
      recordedIds.add(run.id);
    }
    const kept = keptLines(existing, parsed.header ? undefined : header);
    // Rewrite through a temporary file so a second kill cannot leave the file half rewritten.
    writeFileSync(`${file}.tmp`, kept);
    renameSync(`${file}.tmp`, file);
  } else {
    writeFileSync(file, JSON.stringify(header) + '\n');
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
      write([run, ...spans].map((line) => JSON.stringify(line)).join('\n') + '\n');
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

function readExisting(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw inputError({ file }, `cannot read the results file to resume it (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
}

/**
 * The lines of an interrupted file worth keeping: every complete JSON line except footers. A last
 * line without its newline is what a kill mid-write leaves behind; it is dropped.
 */
export function keptLines(text: string, missingHeader?: HeaderLine): string {
  const complete = text.endsWith('\n') ? text : text.slice(0, text.lastIndexOf('\n') + 1);
  const lines = complete.split('\n').filter((line) => {
    if (line.trim() === '') return false;
    try {
      return (JSON.parse(line) as { type?: unknown }).type !== 'footer';
    } catch {
      return false;
    }
  });
  if (missingHeader) lines.unshift(JSON.stringify(missingHeader));
  return lines.map((line) => line + '\n').join('');
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
