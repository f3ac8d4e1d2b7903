import { describe, expect, it } from 'vitest';
import { conclusionFor, cap } from './check-run.js';
import { commentMarker, shouldComment } from './comment.js';
import { isPermissionError, permissionWarning } from './permissions.js';

const summary = (regression: number, improvement = 0, inconclusive = 0) => ({ regression, improvement, inconclusive });

describe('comment policy', () => {
  it('creates per policy but always keeps an existing comment current', () => {
    const pass = { verdict: 'pass', summary: summary(0) };
    const fail = { verdict: 'fail', summary: summary(1) };
    const changed = { verdict: 'pass', summary: summary(0, 1) };
    expect([pass, changed, fail].map((r) => shouldComment('on-regression', false, r))).toEqual([false, false, true]);
    expect([pass, changed, fail].map((r) => shouldComment('on-change', false, r))).toEqual([false, true, true]);
    expect([pass, changed, fail].map((r) => shouldComment('always', false, r))).toEqual([true, true, true]);
    expect(shouldComment('on-regression', true, pass)).toBe(true);
    expect(shouldComment('never', true, fail)).toBe(false);
  });

  it('builds one marker per config file that cannot break out of its HTML comment', () => {
    expect(commentMarker('.github/frametail.yml')).toBe('<!-- frametail:comment .github/frametail.yml -->');
    expect(commentMarker('a --> <b>.yml')).toBe('<!-- frametail:comment a_-___b_.yml -->');
  });
});

describe('check run', () => {
  it('maps verdicts to conclusions, a label-accepted failure to neutral', () => {
    expect(conclusionFor('fail', false)).toBe('failure');
    expect(conclusionFor('fail', true)).toBe('neutral');
    expect(conclusionFor('inconclusive', false)).toBe('neutral');
    expect(conclusionFor('pass', false)).toBe('success');
  });

  it('cuts oversized text at a line break within the limit', () => {
    const text = Array.from({ length: 10_000 }, (_, i) => `line ${i}`).join('\n');
    const cut = cap(text, 65_535);
    expect(cut.length).toBeLessThanOrEqual(65_535);
    expect(cut).toMatch(/line \d+\n\n_\(cut to fit GitHub’s limit\)_$/);
    expect(cap('short', 10)).toBe('short');
  });
});

describe('permission problems', () => {
  it('recognises a refused token but not a rate limit', () => {
    expect(isPermissionError(Object.assign(new Error('Resource not accessible by integration'), { status: 403 }))).toBe(true);
    expect(isPermissionError(Object.assign(new Error('API rate limit exceeded'), { status: 403 }))).toBe(false);
    expect(isPermissionError(Object.assign(new Error('boom'), { status: 500 }))).toBe(false);
  });

  it('names the missing permission and the fork-safe fix', () => {
    const text = permissionWarning('create the check run', 'checks: write', new Error('Resource not accessible by integration'));
    expect(text).toContain('checks: write');
    expect(text).toContain('workflow_run');
    expect(text).toContain('Resource not accessible by integration');
  });
});
