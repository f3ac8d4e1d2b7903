import { describe, expect, it } from 'vitest';
import { failReport, largeReport, passReport } from '../../fixtures/reports/build.js';
import { metricsReport } from '../../fixtures/reports/build-metrics.js';
import { regressedCells } from '../report/matrix.js';
import { annotationBatches, buildAnnotations, MAX_ANNOTATIONS } from './annotations.js';

const repoFiles = new Set(['.github/frametail.yml', 'examples/video-pipeline/decode.mjs', 'examples/video-pipeline/denoise.mjs']);
const sources = { configFile: '.github/frametail.yml', inputLines: { pirouette: 18, 'arm-extension': 20 }, fileExists: (p: string) => repoFiles.has(p), accepted: false };

describe('buildAnnotations', () => {
  it('annotates the config line of each regressed cell and the source lines of the operations named as its causes', () => {
    const annotations = buildAnnotations(failReport(), sources);
    expect(annotations.map((a) => [a.path, a.start_line, a.annotation_level])).toEqual([
      ['.github/frametail.yml', 20, 'failure'],
      ['.github/frametail.yml', 22, 'failure'],
      ['examples/video-pipeline/decode.mjs', 42, 'failure'],
      ['examples/video-pipeline/denoise.mjs', 17, 'failure'],
    ]);
    // cache.lookup (cache.mjs) regressed by 48 ms of a 1.9 s growth: too small to be a cause, so no annotation.
    expect(annotations.some((a) => a.path.endsWith('cache.mjs'))).toBe(false);
    const everyFile = buildAnnotations(failReport(), { ...sources, fileExists: () => true });
    expect(everyFile.filter((a) => a.path.endsWith('cache.mjs'))).toEqual([]);
    // A cause whose file is not in the repository is not annotated: GitHub would reject the request.
    const noDecode = buildAnnotations(failReport(), { ...sources, fileExists: (p: string) => repoFiles.has(p) && !p.endsWith('decode.mjs') });
    expect(noDecode.map((a) => a.path)).not.toContain('examples/video-pipeline/decode.mjs');
    expect(noDecode.map((a) => a.path)).toContain('examples/video-pipeline/denoise.mjs');
    expect(annotations[0]!.message).toContain('+23.4%');
  });

  it('a cell failed by own time is annotated with the own-time statistics', () => {
    const annotations = buildAnnotations(metricsReport(), sources);
    expect(annotations).toHaveLength(1);
    expect(annotations[0]!.start_line).toBe(18);
    expect(annotations[0]!.message).toMatch(/^Own time \(gated, lower is better\): 1\.0\d s → 1\.[12]\d s/);
    expect(annotations[0]!.message).not.toContain('Latency');
  });

  it('falls back to the config lines of the inputs when the report does not carry them', () => {
    const report = failReport();
    for (const cell of report.cells) delete cell.configLine;
    expect(buildAnnotations(report, sources).slice(0, 2).map((a) => a.start_line)).toEqual([18, 20]);
  });

  it('has nothing to say about a passing report, and warns instead of failing when accepted', () => {
    expect(buildAnnotations(passReport(), sources)).toEqual([]);
    expect(new Set(buildAnnotations(failReport(), { ...sources, accepted: true }).map((a) => a.annotation_level))).toEqual(new Set(['warning']));
  });

  it('keeps messages within GitHub limits and titles on one line', () => {
    const report = failReport();
    const cell = report.cells.find((c) => c.verdict === 'regression')!;
    cell.input = 'line one\nline two';
    cell.latency!.reason = 'x'.repeat(100_000);
    const [first] = buildAnnotations(report, { ...sources, inputLines: { 'line one\nline two': 3 } });
    expect(first!.title).not.toMatch(/\n/);
    expect(first!.message.length).toBeLessThanOrEqual(4_000);
  });
});

describe('annotations of a 5,000-cell report with 715 regressions', () => {
  it('are capped at MAX_ANNOTATIONS (10 requests), the worst cells first, each with its config line', () => {
    const report = largeReport();
    const annotations = buildAnnotations(report, { configFile: '.github/frametail.yml', inputLines: {}, fileExists: () => true, accepted: false });
    expect(annotations).toHaveLength(MAX_ANNOTATIONS);
    expect(annotationBatches(annotations)).toHaveLength(MAX_ANNOTATIONS / 50);
    const worst = regressedCells(report)[0]!;
    expect(annotations[0]).toMatchObject({ path: '.github/frametail.yml', start_line: worst.configLine, title: `Frametail: ${worst.input} × ${worst.variant} regressed` });
    // Every annotated config line is one of the worst cells: none below the cut is annotated above it.
    const lines = annotations.filter((a) => a.path === '.github/frametail.yml').map((a) => a.title);
    const expected = regressedCells(report).slice(0, lines.length).map((c) => `Frametail: ${c.input} × ${c.variant} regressed`);
    expect(lines).toEqual(expected);
  });
});

describe('annotationBatches', () => {
  it('splits into requests of at most 50, in order', () => {
    const items = Array.from({ length: 121 }, (_, i) => i);
    const batches = annotationBatches(items);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 21]);
    expect(batches.flat()).toEqual(items);
    expect(annotationBatches([])).toEqual([]);
  });
});

describe('annotations on untrusted ids and paths', () => {
  it('treats input ids that are JavaScript property names as plain strings', () => {
    for (const id of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      const report = failReport();
      const cell = report.cells.find((c) => c.verdict === 'regression')!;
      cell.input = id;
      delete cell.configLine;
      const annotations = buildAnnotations(report, { ...sources, inputLines: { pirouette: 18 } });
      // No line is known for the id: no config annotation, rather than one GitHub rejects with 422.
      expect(annotations.every((a) => Number.isInteger(a.start_line) && a.start_line >= 1), id).toBe(true);
      expect(JSON.parse(JSON.stringify(annotations))).toEqual(annotations);
    }
  });

  it('annotates absolute span paths under a checkout, and never a path that climbs out of the repository', () => {
    const report = failReport();
    for (const span of report.cells.flatMap((c) => c.spans)) {
      if (span.code?.file.endsWith('decode.mjs')) span.code.file = `/home/runner/work/studio/studio/${span.code.file}`;
      else if (span.code) span.code.file = '../../../../attacker/evil/blob/main/README.md';
    }
    const annotations = buildAnnotations(report, { ...sources, fileExists: () => true, roots: ['/home/runner/work/studio/studio'] });
    expect(annotations.map((a) => a.path)).toEqual(['.github/frametail.yml', '.github/frametail.yml', 'examples/video-pipeline/decode.mjs']);
  });
});
