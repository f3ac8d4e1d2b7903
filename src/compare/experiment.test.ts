import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/parse.js';
import { experimentFromResults } from './experiment.js';
import { resultsFixture } from './results-fixture.js';
import { gateFromConfig } from './settings.js';

const runs = resultsFixture('head', { 'pirouette/wide': [1], 'arm/closeup': [1], 'pirouette/closeup': [1] }).runs;

describe('experimentFromResults', () => {
  it('keeps only well-typed fields of an untrusted header and fills the rest from the runs', () => {
    const experiment = experimentFromResults(
      {
        id: 'exp_0123456789ab',
        name: 42,
        configuration: { model: 'veo', steps: 30, nested: { no: 1 } },
        dimension: { name: 'Camera', variants: [{ id: 'closeup', label: 'Subject closeup' }, 'junk', { id: 7 }] },
        inputs: 'not a list',
      },
      runs,
    );
    expect(experiment).toEqual({
      id: 'exp_0123456789ab',
      name: 'Results comparison',
      description: '',
      configuration: { model: 'veo', steps: 30 },
      dimension: {
        name: 'Camera',
        variants: [
          { id: 'closeup', label: 'Subject closeup' },
          { id: 'wide', label: 'wide' },
        ],
      },
      inputs: [
        { id: 'pirouette', prompt: '' },
        { id: 'arm', prompt: '' },
      ],
    });
  });
});

describe('gateFromConfig', () => {
  it('reads fail-on as a list and the looks', () => {
    const config = parseConfig(
      [
        'experiment: { name: x }',
        'dimension: { name: d, variants: [{ id: a, label: A }] }',
        'inputs: [{ id: i, prompt: p }]',
        'run: { command: [node, x.js] }',
        'gate: { looks: [5, 10, 20], fail-on: [regression, inconclusive], max-new-failures: 2, min-abs-ms: 100 }',
      ].join('\n'),
      'frametail.yml',
    );
    expect(gateFromConfig(config)).toEqual({
      alpha: 0.018,
      minChange: 0.05,
      minAbsMs: 100,
      looks: [5, 10, 20],
      failOn: ['regression', 'inconclusive'],
      maxNewFailures: 2,
      successRate: true,
    });
  });
});
