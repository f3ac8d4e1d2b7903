import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { parseDurationMs } from './duration.js';
import { configJsonSchema } from './load.js';
import { parseConfig, slugify } from './parse.js';

const minimal = `experiment:
  name: Motion comparison test
dimension:
  name: Camera
  variants:
    - label: Subject closeup
    - label: Wide shot
inputs:
  - prompt: A ballet dancer performs a pirouette in a sunlit studio.
run:
  command: [node, pipeline.mjs, "{input.prompt}"]
`;

function errorOf(text: string): InputError {
  try {
    parseConfig(text, 'frametail.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return error as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseConfig', () => {
  it('reads the bundled seed experiment with ids, defaults and the lines annotations point at', () => {
    const config = parseConfig(readFileSync('.github/frametail.yml', 'utf8'), '.github/frametail.yml');
    expect(config.experiment.name).toBe('Motion comparison test');
    expect(config.experiment.description).toBe('Compare camera movements across fixed subject');
    expect(config.experiment.id).toMatch(/^exp_[0-9a-f]{12}$/);
    expect(config.configuration).toEqual({ 'aspect-ratio': '16:9', model: 'veo-3.1-fast' });
    expect(config.dimension.variants.map((v) => v.label)).toEqual(['Subject closeup', 'Wide shot', 'Low angle']);
    expect(config.inputs.map((i) => i.prompt)).toEqual([
      'A ballet dancer performs a pirouette in a sunlit studio.',
      'The dancer extends one arm gracefully while spinning.',
    ]);
    expect(config.run.timeout).toBe(30_000);
    expect(config.source.lines.inputs.pirouette).toBe(19);
  });

  it('derives ids from labels and prompts, and fills the gate defaults of DESIGN §5', () => {
    const config = parseConfig(minimal, 'f.yml');
    expect(config.dimension.variants.map((v) => v.id)).toEqual(['subject-closeup', 'wide-shot']);
    expect(config.inputs[0]!.id).toBe('a-ballet-dancer-performs');
    expect(config.gate).toMatchObject({ alpha: 0.018, 'min-change': 0.05, 'min-abs-ms': 0, looks: [5, 10, 20], 'fail-on': 'regression' });
    expect(config.tracing.granularity).toBe('coarse');
  });

  it('keeps the experiment id stable across renames and changes it when the pinned definition changes', () => {
    const a = parseConfig(minimal, 'f.yml').experiment.id;
    expect(parseConfig(minimal.replace('name: Motion comparison test', 'name: Renamed'), 'f.yml').experiment.id).toBe(a);
    expect(parseConfig(minimal.replace('pirouette', 'jump'), 'f.yml').experiment.id).not.toBe(a);
  });

  it.each([
    ['a missing section', minimal.replace(/^dimension:[\s\S]*?(?=inputs:)/m, ''), /^frametail\.yml:1: dimension: is missing/],
    ['an unknown field, on its own line', minimal.replace('    - label: Wide shot', '    - label: Wide shot\n      colour: red'), /^frametail\.yml:8: dimension\.variants\[1\]\.colour: unknown field/],
    ['a wrong type', minimal.replace('[node, pipeline.mjs, "{input.prompt}"]', '42'), /^frametail\.yml:11: run\.command: has the wrong shape/],
    ['a bad duration', minimal + '  timeout: 5 parsecs\n', /^frametail\.yml:12: run\.timeout: "5 parsecs" is not a duration/],
    ['invalid YAML', 'experiment:\n  name: [unclosed\n', /^frametail\.yml:\d+: invalid YAML/],
    ['duplicate ids', minimal.replace('    - label: Wide shot', '    - label: Subject closeup\n      id: subject-closeup'), /dimension\.variants\[1\]\.id: duplicate id "subject-closeup"/],
    ['an empty file', '', /^frametail\.yml:1: the config file is empty/],
  ])('names file, line and field for %s', (_what, text, message) => {
    expect(errorOf(text).message).toMatch(message);
  });
});

describe('parseDurationMs', () => {
  it('reads the units users write', () => {
    expect(parseDurationMs('250ms')).toBe(250);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs(42)).toBe(42);
    expect(parseDurationMs('soon')).toBeUndefined();
    expect(parseDurationMs(-1)).toBeUndefined();
  });

  it('round-trips any whole number of any unit', () => {
    const units = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.constantFrom(...(Object.keys(units) as (keyof typeof units)[])), (n, unit) => {
        expect(parseDurationMs(`${n}${unit}`)).toBe(n * units[unit]);
      }),
    );
  });

  it('never throws and never returns a negative or non-finite value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.double()), (value) => {
        const ms = parseDurationMs(value);
        if (ms !== undefined) expect(Number.isFinite(ms) && ms >= 0).toBe(true);
      }),
    );
  });
});

describe('slugify', () => {
  it('always yields a valid id', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(slugify(text)).toMatch(/^[a-z0-9][a-z0-9-]{0,23}$/);
      }),
    );
  });
});

describe('configJsonSchema', () => {
  it('is what the committed frametail.schema.json says (run `npm run schema` after changing the config)', () => {
    const committed = JSON.parse(readFileSync('frametail.schema.json', 'utf8'));
    expect(committed).toEqual(configJsonSchema());
  });
});
