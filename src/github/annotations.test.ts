import { describe, expect, it } from 'vitest';
import { failReport, passReport } from '../../fixtures/reports/build.js';
import { annotationBatches, buildAnnotations, repoPath } from './annotations.js';

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

describe('annotationBatches', () => {
  it('splits into requests of at most 50, in order', () => {
    const items = Array.from({ length: 121 }, (_, i) => i);
    const batches = annotationBatches(items);
    expect(batches.map((b) => b.length)).toEqual([50, 50, 21]);
    expect(batches.flat()).toEqual(items);
    expect(annotationBatches([])).toEqual([]);
  });
});

describe('repoPath', () => {
  it('keeps relative paths and refuses absolute ones and escapes', () => {
    expect(repoPath('./src/a.ts')).toBe('src/a.ts');
    expect(repoPath('src\\win\\a.py')).toBe('src/win/a.py');
    expect(repoPath('/home/runner/work/a.py')).toBeUndefined();
    expect(repoPath('/home/runner/work/studio/studio/src/a.py', '/home/runner/work/studio/studio/')).toBe('src/a.py');
    expect(repoPath('/home/runner/work/studio/studio-evil/a.py', '/home/runner/work/studio/studio')).toBeUndefined();
    expect(repoPath('../outside.py')).toBeUndefined();
  });
});
