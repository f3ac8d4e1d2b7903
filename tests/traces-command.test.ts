import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { spanLineSchema } from '../src/results/format.js';
import { renderTraces, type TracesJson } from '../src/traces/command.js';
import { parseTraceFile } from '../src/traces/files.js';
import { fromSpanLine, toSpanLine } from '../src/traces/lines.js';

const load = (name: string) => {
  const parsed = parseTraceFile(readFileSync(new URL(`../fixtures/traces/${name}`, import.meta.url)), name);
  return { file: name, spans: parsed.spans, warnings: parsed.warnings };
};

describe('renderTraces', () => {
  it('prints per path count, total, self and critical-path ms as JSON', () => {
    const json = JSON.parse(renderTraces([load('otlp-small.json')], { json: true })) as TracesJson;
    expect(json.files[0]!.file).toBe('otlp-small.json');
    expect(json.files[0]!.paths).toEqual([
      { path: 'generate', count: 1, totalMs: 100, selfMs: 10, criticalMs: 10 },
      { path: 'generate/preprocess', count: 1, totalMs: 20, selfMs: 10, criticalMs: 10 },
      { path: 'generate/preprocess/cache.lookup', count: 1, totalMs: 10, selfMs: 10, criticalMs: 10 },
      { path: 'generate/denoise', count: 1, totalMs: 70, selfMs: 70, criticalMs: 70 },
      { path: 'generate/encode', count: 1, totalMs: 30, selfMs: 30, criticalMs: 0 },
    ]);
    expect(json.files[0]!.criticalPath).toEqual(['generate', 'generate/denoise']);
    expect(json.files[0]!.warnings).toEqual([]);
  });

  it('prints an aligned table per file, the critical path and the repairs', () => {
    const text = renderTraces([load('otlp-small.json'), load('chrome-array.json')], { json: false });
    expect(text).toContain('otlp-small.json: 5 spans, root 100.000 ms');
    const table = text.split('\n').slice(1, 7);
    expect(table[0]).toMatch(/^path\s+count\s+total ms\s+self ms\s+critical ms$/);
    expect(table[4]).toMatch(/^generate\/denoise \*\s+1\s+70\.000\s+70\.000\s+70\.000$/);
    expect(new Set(table.map((line) => line.length)).size).toBe(1);
    expect(text).toContain('critical path: generate → denoise');
    expect(text).toContain('critical path: trace → step → forward → aten::mm');
  });

  it('scrubs control characters from span names and shows warnings', () => {
    const spans = load('otlp-small.json').spans.map((s) => (s.name === 'encode' ? { ...s, name: 'enc\u001b[31mode', parentSpanId: 'ffffffffffffffff' } : s));
    const text = renderTraces([{ file: 'x.json', spans, warnings: [] }], { json: false });
    expect(text).not.toContain('\u001b');
    expect(text).toContain('generate/enc[31mode');
    expect(text).toMatch(/warning \(orphan\): parent ffffffffffffffff of "enc\[31mode" not found/);
  });
});

describe('results.jsonl span lines', () => {
  it('round-trip spans exactly, times as decimal strings the results schema accepts', () => {
    for (const span of load('otlp-small.json').spans) {
      const line = spanLineSchema.parse(JSON.parse(JSON.stringify(toSpanLine('run-1', span))));
      expect(line.run).toBe('run-1');
      expect(line.startNs).toBe(span.startNs.toString());
      const back = fromSpanLine(line);
      const { resource: _resource, ...withoutResource } = span;
      expect(back).toEqual(withoutResource);
    }
  });
});
