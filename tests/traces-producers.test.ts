/**
 * Trace files from real producers (issue 11): PyTorch's legacy exporter and torch.profiler schedules
 * (fixtures/traces/torch, written by scripts/torch-traces.py with Debian's python3-torch), Kineto- and
 * Perfetto-style layouts.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { analyzeRun, coarseFilter } from '../src/traces/analyze.js';
import { parseTraceFile } from '../src/traces/files.js';
import { mergeTraceFiles } from '../src/traces/merge.js';
import type { Span } from '../src/traces/span.js';

const torch = (name: string) => readFileSync(new URL(`../fixtures/traces/torch/${name}`, import.meta.url));
const pathsOf = (spans: Span[]) => analyzeRun(spans).metrics.map((m) => m.path);

describe('PyTorch legacy exporter', () => {
  it('reads names the exporter wrote with unescaped " and \\ (invalid JSON as written), with a warning', () => {
    const bytes = torch('legacy-pipeline.json');
    expect(() => JSON.parse(bytes.toString())).toThrow();
    const parsed = parseTraceFile(bytes, 'legacy-pipeline.json');
    expect(parsed.format).toBe('chrome');
    expect(parsed.spans.some((s) => s.name === 'say "hi" \\ there')).toBe(true);
    expect(parsed.warnings.map((w) => w.message)).toContain(
      'legacy-pipeline.json: 1 names with unescaped " or \\ (a known defect of PyTorch\'s legacy exporter) read as written',
    );
  });

  it('keeps a name with "/" one path segment, escaped, distinct from two nested ranges', () => {
    const paths = pathsOf(parseTraceFile(torch('legacy-pipeline.json'), 'l.json').spans);
    expect(paths).toContain('trace/pipeline/decode/decode\\/upsample');
    expect(paths).toContain('trace/pipeline/say "hi" \\\\ there');
    expect(paths.some((p) => p.startsWith('trace/pipeline/decode/decode/upsample'))).toBe(false);
  });

  it('reads gzip whatever the file is called (magic bytes), the same as the plain text', () => {
    const gz = parseTraceFile(torch('legacy-pipeline.json.gz'), 'legacy-pipeline.json.gz');
    const renamed = parseTraceFile(torch('legacy-pipeline.json.gz'), 'trace.json');
    expect(gz.format).toBe('chrome');
    expect(pathsOf(renamed.spans)).toEqual(pathsOf(gz.spans));
    // Two runs of the same pipeline: the same user ranges (torch's own ops may differ from run to run).
    const ranges = (spans: Span[]) => pathsOf(spans).filter((p) => !p.includes('aten::'));
    expect(ranges(gz.spans)).toEqual(ranges(parseTraceFile(torch('legacy-pipeline.json'), 'l.json').spans));
    expect(() => parseTraceFile(gzipSync('{"traceEvents": [').subarray(0, 12), 'cut.json.gz')).toThrow(/^cut\.json\.gz: gzip data is broken/);
  });

  it('coarse keeps the user\'s ranges and their stages, not the aten::zeros the profiler adds on top', () => {
    const { spans } = parseTraceFile(torch('legacy-pipeline.json'), 'l.json');
    expect(coarseFilter(spans).map((s) => s.name).sort()).toEqual(['decode', 'encode', 'pipeline', 'preprocess', 'say "hi" \\ there', 'trace']);
  });

  it('nests a child that ends 1 µs after its parent (whole-µs rounding) inside it', () => {
    const events = [
      { name: 'parent', ph: 'X', ts: 100, dur: 50, pid: 1, tid: 1 },
      { name: 'child', ph: 'X', ts: 120, dur: 31, pid: 1, tid: 1 },
      { name: 'sibling', ph: 'X', ts: 140, dur: 20, pid: 1, tid: 1 },
    ];
    const paths = pathsOf(parseTraceFile(JSON.stringify(events), 't.json').spans);
    expect(paths).toContain('trace/parent/child');
    // 10 µs past the parent's end is beyond the format's resolution: a sibling, not a child.
    expect(paths).toContain('trace/sibling');
  });
});

describe('torch.profiler schedule(repeat=2): two files, one run', () => {
  const files = ['step-1.json', 'step-2.json'].map((file, index) => ({ file, parsed: parseTraceFile(torch(`schedule/${file}`), file, index) }));
  const merged = mergeTraceFiles(files);

  it('namespaces ids per file: no duplicate ids, no span parented across files', () => {
    const ids = new Set(merged.spans.map((s) => s.spanId));
    expect(ids.size).toBe(merged.spans.length);
    const analysis = analyzeRun(merged.spans);
    expect(analysis.warnings.filter((w) => w.kind === 'duplicate-span-id' || w.kind === 'orphan')).toEqual([]);
    expect(analysis.metrics.some((m) => m.path.includes('step/step'))).toBe(false);
    expect(analysis.metrics.find((m) => m.path === 'trace/ProfilerStep#0/step')?.count).toBe(2);
  });

  it('lays files that count from their own start end to end, and the latency covers both', () => {
    expect(merged.note).toBe('2 trace files merged into one trace (1 of them count time from their own start, so each was laid after the one before, in name order)');
    const [one, two] = files.map((f) => analyzeRun(f.parsed.spans).rootDurationMs!);
    expect(analyzeRun(merged.spans).rootDurationMs).toBeGreaterThanOrEqual(one! + two!);
  });

  it('keeps epoch times as they are: files that share a clock keep their overlap', () => {
    const at = (ts: number, name: string) => JSON.stringify([{ name, ph: 'X', ts, dur: 100, pid: 1, tid: 1 }]);
    const a = { file: 'a.json', parsed: parseTraceFile(at(1.79e15, 'a'), 'a.json', 0) };
    const b = { file: 'b.json', parsed: parseTraceFile(at(1.79e15 + 50, 'b'), 'b.json', 1) };
    const both = mergeTraceFiles([a, b]);
    expect(both.note).toBe('2 trace files merged into one trace (they share one clock)');
    expect(analyzeRun(both.spans).rootDurationMs).toBeCloseTo(0.15, 9);
  });

  it('coarse keeps each step\'s user ranges, not the ProfilerStep wrappers or aten ops', () => {
    const names = coarseFilter(merged.spans).map((s) => s.name).sort();
    expect(names).toEqual(['pipeline', 'pipeline', 'step', 'step', 'trace']);
  });
});

describe('Kineto-style trace', () => {
  const parsed = parseTraceFile(torch('kineto-style.json'), 'kineto-style.json');

  it('leaves the profiler window "PyTorch Profiler (0)" out, with a warning', () => {
    expect(parsed.spans.some((s) => s.name.startsWith('PyTorch Profiler'))).toBe(false);
    expect(parsed.warnings.map((w) => w.kind)).toEqual(['dropped']);
    const analysis = analyzeRun(parsed.spans);
    expect(analysis.metrics.find((m) => m.path === 'trace/pipeline')!.criticalMs).toBeGreaterThan(0);
  });

  it('hangs GPU kernels under the ops that launched them (ac2g flow arrows)', () => {
    const kernels = analyzeRun(parsed.spans).metrics.filter((m) => m.name === 'volta_sgemm_32x32_nn');
    expect(kernels.map((k) => [k.path, k.count])).toEqual([['trace/pipeline/aten::matmul/aten::mm/volta_sgemm_32x32_nn', 3]]);
  });

  it('nests epoch-scale float µs (0.25 µs spacing) without losing children to rounding', () => {
    expect(analyzeRun(parsed.spans).metrics.filter((m) => m.path.split('/').length === 2).map((m) => m.name).sort()).toEqual(['aten::zeros', 'pipeline']);
  });

  it('coarse is the user range, bounded: no kernels, runtime calls or aten ops', () => {
    expect(coarseFilter(parsed.spans).map((s) => s.name).sort()).toEqual(['pipeline', 'trace']);
  });

  it('keeps kernels without flow arrows on their device lane, never in coarse', () => {
    const events = [
      { ph: 'X', cat: 'user_annotation', name: 'step', pid: 9, tid: 9, ts: 0, dur: 100 },
      ...Array.from({ length: 500 }, (_, i) => ({ ph: 'X', cat: 'kernel', name: `k${i % 3}`, pid: 0, tid: 7, ts: i * 0.1, dur: 0.05 })),
    ];
    const { spans } = parseTraceFile(JSON.stringify({ traceEvents: events }), 'k.json');
    expect(analyzeRun(spans).metrics.find((m) => m.path === 'trace/k0')?.count).toBe(167);
    expect(coarseFilter(spans).map((s) => s.name)).toEqual(['step', 'trace']);
  });
});

describe('work on other threads', () => {
  const { spans } = parseTraceFile(torch('perfetto-style.json'), 'perfetto-style.json');
  const analysis = analyzeRun(spans);
  const m = (path: string) => analysis.metrics.find((x) => x.path === path)!;

  it('a flow arrow puts the worker\'s task under the range waiting for it, which gets the work\'s critical time', () => {
    expect(m('generate/decode/future.wait/decode.frames').criticalMs).toBeCloseTo(0.16, 9);
    expect(m('generate/decode/future.wait/decode.frames/upsample').criticalMs).toBeCloseTo(0.6, 9);
    // The wait itself keeps only what no work covers: 1110–1120 and 1880–1890 µs.
    expect(m('generate/decode/future.wait').criticalMs).toBeCloseTo(0.02, 9);
  });

  it('a task with no arrow nests by containment in the main thread\'s range of the same process', () => {
    expect(m('generate/decode/future.wait/prefetch').count).toBe(1);
    expect(analysis.warnings).toEqual([]);
  });

  it('never across processes by containment alone', () => {
    const events = [
      { name: 'main', ph: 'X', ts: 0, dur: 100, pid: 1, tid: 1 },
      { name: 'same-process', ph: 'X', ts: 10, dur: 10, pid: 1, tid: 2 },
      { name: 'other-process', ph: 'X', ts: 30, dur: 10, pid: 2, tid: 2 },
    ];
    const paths = pathsOf(parseTraceFile(JSON.stringify(events), 't.json').spans);
    expect(paths).toEqual(['trace', 'trace/main', 'trace/main/same-process', 'trace/other-process']);
  });
});

describe('paths', () => {
  it('stay distinct whatever characters names contain', () => {
    const span = (id: number, parent: number | null, name: string): Span => ({
      traceId: 'a'.repeat(32), spanId: id.toString(16).padStart(16, '0'), parentSpanId: parent === null ? null : parent.toString(16).padStart(16, '0'),
      name, startNs: BigInt(id), endNs: 100n, status: 'unset', attributes: {},
    });
    const spans = [span(1, null, 'root'), span(2, 1, 'a/b'), span(3, 1, 'a'), span(4, 3, 'b'), span(5, 1, 'a\\'), span(6, 5, 'b'), span(7, 1, 'a\\/b')];
    const paths = pathsOf(spans);
    expect(paths).toEqual(['root', 'root/a\\/b', 'root/a', 'root/a/b', 'root/a\\\\', 'root/a\\\\/b', 'root/a\\\\\\/b']);
    expect(new Set(paths).size).toBe(spans.length);
  });
});
