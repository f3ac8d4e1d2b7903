import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError } from '../src/errors.js';
import { parseConfig } from '../src/config/parse.js';
import type { MetricConfig } from '../src/config/schema.js';
import { parseResults } from '../src/results/read.js';
import { METRICS_FILE_MAX_LINES, parseMetricsFile } from '../src/runner/metrics-file.js';
import { samplePeakMemory, statusKb, treeSampleKb } from '../src/runner/peak-memory.js';
import { testConfigYaml } from './helpers/config.js';

const fileMetric = (name: string, unit = ''): MetricConfig => ({ name, unit, direction: 'lower', gate: false, file: true });
const metrics = [fileMetric('cost', 'USD'), fileMetric('bytes', 'B')];

describe('metrics file', () => {
  it('reads the configured names; bad lines are warnings naming the file and line, the others still count', () => {
    const text = [
      '{"name":"cost","value":0.042,"unit":"USD"}',
      'not json',
      '{"name":"bytes","value":"big"}',
      '{"name":"latency","value":3}',
      '{"name":"bytes","value":4096,"unit":"KB"}',
      '{"value":1}',
      '',
    ].join('\n');
    const { values, warnings } = parseMetricsFile(text, 'metrics.jsonl', metrics);
    expect(Object.fromEntries(values)).toEqual({ cost: 0.042, bytes: 4096 });
    expect(warnings).toEqual([
      'metrics.jsonl:2: not a JSON object; the line is ignored',
      'metrics.jsonl:3: value: "big" is not a finite number; the line is ignored',
      'metrics.jsonl:4: name: "latency" is not a metric configured with file: true; the line is ignored',
      'metrics.jsonl:5: unit: "KB" differs from the configured "B"; the value is kept as B',
      'metrics.jsonl:6: name: is missing; the line is ignored',
    ]);
  });

  it('is bounded: lines past the limit and a cut-off tail are warned about once, warnings are capped', () => {
    const many = Array.from({ length: METRICS_FILE_MAX_LINES + 50 }, (_, i) => `{"name":"cost","value":${i}}`).join('\n');
    const read = parseMetricsFile(many, 'm', metrics);
    expect(read.values.get('cost')).toBe(METRICS_FILE_MAX_LINES - 1);
    expect(read.warnings).toEqual([`m:${METRICS_FILE_MAX_LINES + 1}: more than ${METRICS_FILE_MAX_LINES} lines; the rest is ignored`]);
    const junk = Array.from({ length: 40 }, () => 'junk').join('\n');
    const capped = parseMetricsFile(junk, 'm', metrics);
    expect(capped.warnings).toHaveLength(11);
    expect(capped.warnings.at(-1)).toBe('m: … and 30 more warnings');
    const cut = parseMetricsFile('{"name":"cost","value":1}\n{"name":"co', 'm', metrics, true);
    expect(Object.fromEntries(cut.values)).toEqual({ cost: 1 });
    expect(cut.warnings[0]).toMatch(/^m:2: the file is larger than/);
  });

  it('never throws and only returns finite values of configured names, whatever the text', () => {
    fc.assert(fc.property(fc.array(fc.oneof(fc.string(), fc.json(), fc.constant('{"name":"cost","value":1e999}'))), (lines) => {
      const { values } = parseMetricsFile(lines.join('\n'), 'm', metrics);
      for (const [name, value] of values) {
        expect(['cost', 'bytes']).toContain(name);
        expect(Number.isFinite(value)).toBe(true);
      }
    }));
  });
});

describe('metrics config', () => {
  const withMetrics = (yaml: string) => testConfigYaml() + yaml;
  const errorOf = (text: string): InputError => {
    try {
      parseConfig(text, 'frametail.yml');
    } catch (error) {
      if (error instanceof InputError) return error;
      throw error;
    }
    throw new Error('expected an InputError');
  };

  it('reads metrics with defaults: unit empty, lower is better, not gated, min-change from the gate', () => {
    const config = parseConfig(withMetrics('metrics:\n  - name: cost\n    unit: USD\n    span-attribute: { name: app.cost_usd }\n  - name: rss\n    builtin: peak-rss\n    gate: true\n'), 'f.yml');
    expect(config.metrics).toEqual([
      { name: 'cost', unit: 'USD', direction: 'lower', gate: false, 'span-attribute': { name: 'app.cost_usd', aggregate: 'sum' } },
      { name: 'rss', unit: '', direction: 'lower', gate: true, builtin: 'peak-rss' },
    ]);
    expect(config.gate['own-time']).toBe(true);
    expect(config.tracing['model-spans']).toEqual([]);
  });

  it('bad metric config is an error at file:line naming the field', () => {
    const base = testConfigYaml().split('\n').length;
    const noSource = errorOf(withMetrics('metrics:\n  - name: cost\n    unit: USD\n'));
    expect(noSource.message).toBe(`frametail.yml:${base + 1}: metrics[0]: needs a source: span-attribute, file: true or builtin: peak-rss`);
    const two = errorOf(withMetrics('metrics:\n  - name: cost\n    file: true\n    builtin: peak-rss\n'));
    expect(two.message).toContain('has file and builtin: give exactly one source');
    const reserved = errorOf(withMetrics('metrics:\n  - name: cost\n    file: true\n  - name: ownMs\n    file: true\n'));
    expect(reserved.message).toBe(`frametail.yml:${base + 3}: metrics[1].name: "ownMs" is built in; pick another name`);
    const dup = errorOf(withMetrics('metrics:\n  - name: cost\n    file: true\n  - name: cost\n    file: true\n'));
    expect(dup.message).toContain('duplicate metric name "cost"');
    const direction = errorOf(withMetrics('metrics:\n  - name: cost\n    file: true\n    direction: down\n'));
    expect(direction.message).toMatch(new RegExp(`^frametail.yml:${base + 3}: metrics\\[0\\]\\.direction: `));
    const aggregate = errorOf(withMetrics('metrics:\n  - name: cost\n    span-attribute: { name: c, aggregate: mean }\n'));
    expect(aggregate.message).toMatch(/metrics\[0\]\.span-attribute\.aggregate/);
  });
});

describe('run line metrics', () => {
  it('keeps finite metric values and warns about the others with file and line; the run and its latency stay', () => {
    const text = [
      '{"type":"run","id":"r1","side":"head","input":"a","variant":"v","status":"completed","latencyMs":10,"metrics":{"ownMs":4,"cost":"x","tokens":12},"missingMetrics":["rss"]}',
      '{"type":"run","id":"r2","side":"head","input":"a","variant":"v","status":"completed","latencyMs":11,"metrics":[1,2]}',
      `{"type":"run","id":"r3","side":"head","input":"a","variant":"v","status":"completed","latencyMs":12,"missingMetrics":${JSON.stringify(Array.from({ length: 65 }, (_, i) => `m${i}`))}}`,
      '',
    ].join('\n');
    const read = parseResults(text, 'head.jsonl');
    expect(read.runs.map((r) => r.latencyMs)).toEqual([10, 11, 12]);
    expect(read.runs[0]!.metrics).toEqual({ ownMs: 4, tokens: 12 });
    expect(read.runs[0]!.missingMetrics).toEqual(['rss']);
    expect(read.runs[1]!.metrics).toBeUndefined();
    expect(read.warnings).toEqual([
      'head.jsonl:1: metrics.cost: "x" is not a finite number; the value is ignored',
      "head.jsonl:2: metrics: not an object of numbers; the run's metric values are ignored",
      'head.jsonl:3: missingMetrics: not a list of at most 64 names; ignored',
    ]);
  });
});

describe('peak memory', () => {
  const root = mkdtempSync(join(tmpdir(), 'frametail-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const proc = (pid: number, rssKb: number, hwmKb: number, children: number[]) => {
    mkdirSync(join(root, String(pid), 'task', String(pid)), { recursive: true });
    writeFileSync(join(root, String(pid), 'status'), `Name:\tnode\nPid:\t${pid}\nVmHWM:\t  ${hwmKb} kB\nVmRSS:\t  ${rssKb} kB\n`);
    writeFileSync(join(root, String(pid), 'task', String(pid), 'children'), children.join(' ') + (children.length ? ' ' : ''));
  };

  it('a sample is the larger of the tree\'s summed VmRSS and its largest VmHWM', () => {
    proc(100, 50_000, 60_000, [101, 102]);
    proc(101, 30_000, 30_000, [103]);
    proc(102, 10_000, 10_000, []);
    proc(103, 5_000, 200_000, [100]); // a cycle in children is walked once
    expect(treeSampleKb(100, root)).toBe(200_000);
    proc(103, 5_000, 5_000, []);
    expect(treeSampleKb(100, root)).toBe(95_000);
    expect(treeSampleKb(999, root)).toBeNull();
    expect(statusKb('Name:\tx\nVmRSS:\t 12 kB\n', 'VmHWM')).toBe(0);
  });

  it.runIf(process.platform === 'linux')('sees a child that holds 120 MB at its peak', async () => {
    const child = spawn(process.execPath, ['-e', 'const b = Buffer.alloc(120e6, 1); setTimeout(() => b.length, 400)'], { stdio: 'ignore' });
    const sampler = samplePeakMemory(child.pid!, 20);
    await new Promise((resolve) => child.on('exit', resolve));
    const peak = sampler.stop();
    expect(peak).toBeGreaterThan(120);
    expect(peak).toBeLessThan(400);
  });
});
