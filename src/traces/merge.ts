import { CHROME_ROOT_NAME, EPOCH_MICROS, spanIdOf } from './chrome.js';
import type { ParsedTraceFile } from './files.js';
import type { Span } from './span.js';

/** Span id of the root Frametail adds above several trace files (file index 0xffffff is never a real file's). */
const MERGED_ROOT_ID = spanIdOf(0xffffff, 0);
const EPOCH_NS = BigInt(EPOCH_MICROS) * 1000n;

export interface MergedTrace {
  spans: Span[];
  /** What was done to make one trace of several files, for the run's latency reason; undefined for one file. */
  note?: string;
}

/**
 * Several trace files of one run (torch.profiler's `schedule(repeat=N)` writes one per cycle) → one trace.
 * Chrome files already carry their file index in their span ids, so ids never collide. When every file
 * counts time from the epoch (OTLP, Kineto, Perfetto) they share a clock and keep their times; a file that
 * counts from its own start (PyTorch's legacy exporter) is laid after the files before it, in name order.
 * The roots Frametail added per file are dropped, and when more than one top-level span remains a root
 * named "trace" spans all of them, so the run's latency covers every file.
 */
export function mergeTraceFiles(files: readonly { file: string; parsed: ParsedTraceFile }[]): MergedTrace {
  const nonEmpty = files.filter((f) => f.parsed.spans.length > 0);
  if (nonEmpty.length <= 1) return { spans: nonEmpty[0]?.parsed.spans ?? [] };
  const spans: Span[] = [];
  let laidAfter = 0;
  let end: bigint | undefined;
  for (const { parsed } of nonEmpty) {
    const synthetic = parsed.spans.find((s) => s.synthetic === true && s.parentSpanId === null);
    let lo = parsed.spans[0]!.startNs;
    let hi = parsed.spans[0]!.endNs;
    for (const s of parsed.spans) {
      if (s.startNs < lo) lo = s.startNs;
      if (s.endNs > hi) hi = s.endNs;
    }
    const shift = parsed.format === 'chrome' && lo < EPOCH_NS && end !== undefined ? end - lo : 0n;
    if (shift !== 0n) laidAfter++;
    for (const s of parsed.spans) {
      if (s === synthetic) continue;
      if (synthetic && s.parentSpanId === synthetic.spanId) s.parentSpanId = null;
      if (shift !== 0n) {
        s.startNs += shift;
        s.endNs += shift;
      }
      spans.push(s);
    }
    if (end === undefined || hi + shift > end) end = hi + shift;
  }
  let top = 0;
  let lo = spans[0]!.startNs;
  let hi = spans[0]!.endNs;
  for (const s of spans) {
    if (s.parentSpanId === null) top++;
    if (s.startNs < lo) lo = s.startNs;
    if (s.endNs > hi) hi = s.endNs;
  }
  if (top > 1) {
    for (const s of spans) if (s.parentSpanId === null) s.parentSpanId = MERGED_ROOT_ID;
    spans.push({
      traceId: spans[0]!.traceId, spanId: MERGED_ROOT_ID, parentSpanId: null, name: CHROME_ROOT_NAME,
      startNs: lo, endNs: hi, status: 'unset', attributes: {}, synthetic: true,
    });
  }
  const clock = laidAfter > 0
    ? `${laidAfter} of them count time from their own start, so each was laid after the one before, in name order`
    : 'they share one clock';
  return { spans, note: `${nonEmpty.length} trace files merged into one trace (${clock})` };
}
