import { describe, expect, it } from 'vitest';
import { parseInputs, readRawInputs } from './inputs.js';

const given = (values: Record<string, string>) => readRawInputs((name) => values[name] ?? '');

describe('action inputs', () => {
  it('fills the defaults of action.yml when only the token is given', () => {
    expect(parseInputs(given({ 'github-token': 'ghs_x' }))).toEqual({
      config: '.github/frametail.yml',
      'github-token': 'ghs_x',
      mode: 'all',
      baseline: 'rerun',
      comment: 'always',
      'accept-label': 'frametail:accept-regression',
      'artifact-name': 'frametail-results',
      'working-directory': '.',
      'html-report': true,
    });
  });

  it('parses shard, fail-on lists and booleans', () => {
    const inputs = parseInputs(given({ 'github-token': 't', shard: '2/4', 'fail-on': 'regression, inconclusive', 'html-report': 'false', mode: 'run' }));
    expect(inputs.shard).toEqual({ index: 2, count: 4 });
    expect(inputs['fail-on']).toEqual(['regression', 'inconclusive']);
    expect(inputs['html-report']).toBe(false);
  });

  it('names the input and the value that is wrong', () => {
    expect(() => parseInputs(given({ 'github-token': 't', mode: 'publish' }))).toThrow(/^input mode: .*\(got "publish"\)$/);
    expect(() => parseInputs(given({ 'github-token': 't', shard: '5/4' }))).toThrow(/input shard: needs 1 ≤ i ≤ n/);
    expect(() => parseInputs(given({ 'github-token': 't', shard: 'two' }))).toThrow(/input shard: must look like "i\/n"/);
    expect(() => parseInputs(given({ 'github-token': 't', 'artifact-name': 'a b' }))).toThrow(/input artifact-name/);
    expect(() => parseInputs(given({}))).toThrow(/^input github-token: is required$/);
  });

  it('never echoes the token in an error', () => {
    expect(() => parseInputs(given({ 'github-token': ' ' }))).toThrow(/^input github-token: is required$/);
  });
});
