import { displayWidth, scrubTerminal } from '../report/terminal-text.js';
import { analyzeRun } from './analyze.js';
import type { Span, SpanPathMetrics, TraceWarning } from './span.js';

export interface TraceFileInput {
  file: string;
  spans: Span[];
  warnings: TraceWarning[];
}

/** What `frametail traces FILE… --json` prints. */
export interface TracesJson {
  files: {
    file: string;
    spans: number;
    rootDurationMs: number | null;
    paths: { path: string; count: number; totalMs: number; selfMs: number; criticalMs: number }[];
    criticalPath: string[];
    warnings: TraceWarning[];
  }[];
}

/**
 * The pure part of `frametail traces FILE… [--json]`: each file's spans analyzed as one run, printed as a
 * table per span path (count, total, self and critical-path ms) followed by the critical path and the
 * repairs made (parse warnings first, then analysis warnings). Span names are scrubbed of control and
 * bidi characters before they reach the terminal.
 */
export function renderTraces(files: TraceFileInput[], options: { json: boolean }): string {
  const analyzed = files.map((f) => {
    const analysis = analyzeRun(f.spans, { tree: false });
    return { input: f, analysis, warnings: [...f.warnings, ...analysis.warnings] };
  });
  if (options.json) {
    const json: TracesJson = {
      files: analyzed.map(({ input, analysis, warnings }) => ({
        file: input.file,
        spans: input.spans.length,
        rootDurationMs: analysis.rootDurationMs,
        paths: analysis.metrics.map((m) => ({
          path: m.path, count: m.count, totalMs: m.totalMs, selfMs: m.selfMs, criticalMs: m.criticalMs,
        })),
        criticalPath: analysis.criticalPath,
        warnings,
      })),
    };
    return `${JSON.stringify(json, null, 2)}\n`;
  }
  return analyzed
    .map(({ input, analysis, warnings }) => {
      const heading = `${scrubTerminal(input.file)}: ${input.spans.length} spans, root ${formatMs(analysis.rootDurationMs)}`;
      if (analysis.metrics.length === 0) return `${heading}\n  (no spans)\n${renderWarnings(warnings)}`;
      const names = new Map(analysis.metrics.map((m) => [m.path, m.name]));
      const chain = analysis.criticalPath.map((path) => scrubTerminal(names.get(path) ?? path)).join(' → ');
      return `${heading}\n${renderTable(analysis.metrics)}\ncritical path: ${chain}\n${renderWarnings(warnings)}`;
    })
    .join('\n');
}

const HEADERS = ['path', 'count', 'total ms', 'self ms', 'critical ms'];

function renderTable(metrics: SpanPathMetrics[]): string {
  const rows = metrics.map((m) => [
    scrubTerminal(m.path) + (m.onCriticalPath ? ' *' : ''),
    String(m.count),
    m.totalMs.toFixed(3),
    m.selfMs.toFixed(3),
    m.criticalMs.toFixed(3),
  ]);
  // A loop, not Math.max(...rows): 200,000 rows would overflow the call stack as arguments.
  const widths = HEADERS.map((h) => displayWidth(h));
  const pathWidths = rows.map((r) => widthOf(r[0]!));
  rows.forEach((row, r) => {
    widths[0] = Math.max(widths[0]!, pathWidths[r]!);
    for (let col = 1; col < row.length; col++) widths[col] = Math.max(widths[col]!, row[col]!.length);
  });
  const line = (cells: string[], pathWidth: number) =>
    cells.map((cell, col) => (col === 0 ? cell + ' '.repeat(widths[0]! - pathWidth) : cell.padStart(widths[col]!))).join('  ').trimEnd();
  return [line(HEADERS, displayWidth(HEADERS[0]!)), ...rows.map((row, r) => line(row, pathWidths[r]!)), '(* on the critical path)'].join('\n');
}

/** displayWidth, with a fast path for printable ASCII (the usual span name). */
function widthOf(text: string): number {
  return PRINTABLE_ASCII.test(text) ? text.length : displayWidth(text);
}
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

function renderWarnings(warnings: TraceWarning[]): string {
  if (warnings.length === 0) return '';
  return `${warnings.map((w) => `warning (${w.kind}): ${scrubTerminal(w.message)}`).join('\n')}\n`;
}

function formatMs(ms: number | null): string {
  return ms === null ? '—' : `${ms.toFixed(3)} ms`;
}
