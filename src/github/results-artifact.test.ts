import { describe, expect, it } from 'vitest';
import { artifactNameFor, fanInResults, fingerprintMismatch } from './results-artifact.js';
import { isResultsArtifact } from './artifacts.js';

const header = (side: string) => JSON.stringify({ type: 'header', schema: 'frametail.results/1', side });
const run = (side: string, id: string, input: string) => JSON.stringify({ type: 'run', id, side, input, variant: 'v', round: 1, status: 'completed', latencyMs: 10 });
const entry = (name: string, lines: string[]) => ({ name, data: Buffer.from(lines.join('\n') + '\n') });

describe('results artifacts', () => {
  it('names shards so one matrix fans in to one report', () => {
    expect(artifactNameFor('frametail-results')).toBe('frametail-results');
    expect(artifactNameFor('frametail-results', { index: 2, count: 3 })).toBe('frametail-results-shard-2-of-3');
    expect(isResultsArtifact('frametail-results-shard-2-of-3', 'frametail-results')).toBe(true);
    expect(isResultsArtifact('frametail-results-html', 'frametail-results')).toBe(false);
    expect(isResultsArtifact('frametailXresults', 'frametail.results')).toBe(false);
  });

  it('merges shards per side, keeping same-named run ids of different shards apart', () => {
    const merged = fanInResults([
      { name: 's1', entries: [entry('base.results.jsonl', [header('base'), run('base', 'r1', 'a')]), entry('head.results.jsonl', [header('head'), run('head', 'r1', 'a')])] },
      { name: 's2', entries: [entry('base.results.jsonl', [header('base'), run('base', 'r1', 'b')]), entry('head.results.jsonl', [header('head'), run('head', 'r1', 'b')])] },
    ]);
    expect(merged.base!.runs.map((r) => [r.id, r.input])).toEqual([['s1:r1', 'a'], ['s2:r1', 'b']]);
    expect(merged.head!.runs).toHaveLength(2);
  });

  it('re-validates every line: a forged line is dropped with a warning naming the artifact and line', () => {
    const merged = fanInResults([{ name: 'evil', entries: [entry('head.results.jsonl', [header('head'), '{"type":"run","id":"x","latencyMs":"fast"}', run('head', 'ok', 'a')]), entry('../../etc/passwd', ['x'])] }]);
    expect(merged.base).toBeNull();
    expect(merged.head!.runs.map((r) => r.id)).toEqual(['ok']);
    expect(merged.head!.warnings[0]).toMatch(/^evil\/head\.results\.jsonl:2: /);
  });

  it('refuses a base file whose header claims to be head', () => {
    expect(() => fanInResults([{ name: 'x', entries: [entry('base.results.jsonl', [header('head'), run('head', 'r', 'a')])] }])).toThrow(/header says side "head"/);
  });

  it('lists the environment keys that differ, ignoring volatile ones', () => {
    expect(fingerprintMismatch({ os: 'linux', cpus: 4, hostname: 'a' }, { os: 'linux', cpus: 2, hostname: 'b', node: 'v24' })).toEqual(['cpus', 'node']);
    expect(fingerprintMismatch(undefined, undefined)).toEqual([]);
  });
});
