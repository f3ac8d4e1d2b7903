import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InputError } from '../errors.js';
import { decodeUtf8 } from './load.js';
import { parseConfig } from './parse.js';

const minimal = `experiment:
  name: Limits
dimension:
  name: Camera
  variants:
    - label: Wide shot
inputs:
  - prompt: A dancer.
run:
  command: [node, pipeline.mjs]
`;

function errorOf(text: string): string {
  try {
    parseConfig(text, 'frametail.yml');
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).message;
  }
  throw new Error('expected an InputError');
}

describe('every limit has a sane range, checked at load with file:line', () => {
  it.each([
    ['a fractional concurrency', '  concurrency: 1.5\n', /^frametail\.yml:11: run\.concurrency: must be a whole number$/],
    ['a concurrency of zero', '  concurrency: 0\n', /^frametail\.yml:11: run\.concurrency: must be between 1 and 256/],
    ['a string for a number', '  concurrency: many\n', /^frametail\.yml:11: run\.concurrency: expected number, got the string "many"/],
    ['a billion warm-ups', '  warmup: 1000000000\n', /^frametail\.yml:11: run\.warmup: must be between 0 and 1000/],
    ['a zero timeout', '  timeout: 0\n', /^frametail\.yml:11: run\.timeout: "0" is out of range/],
    ['a timeout of ten years', '  timeout: 87600h\n', /^frametail\.yml:11: run\.timeout: "87600h" is out of range/],
    ['a setup timeout in the past', '  setup-timeout: -5\n', /^frametail\.yml:11: run\.setup-timeout: "-5" is not a duration/],
  ])('refuses %s', (_what, line, message) => {
    expect(errorOf(minimal + line)).toMatch(message);
  });

  it.each([
    ['a look of a billion rounds', '[1000000000]', /^frametail\.yml:12: gate\.looks\[0\]: must be between 2 and 10000/],
    ['looks that decrease', '[20, 10, 5]', /^frametail\.yml:12: gate\.looks: looks must strictly increase/],
    ['a repeated look', '[5, 5]', /gate\.looks: looks must strictly increase/],
    ['a fractional look', '[5, 7.5]', /gate\.looks\[1\]: must be a whole number/],
  ])('refuses %s instead of reordering or planning it', (_what, looks, message) => {
    expect(errorOf(minimal + `gate:\n  looks: ${looks}\n`)).toMatch(message);
  });

  it('refuses a matrix whose plan would exceed a million runs, naming the product', () => {
    const inputs = Array.from({ length: 600 }, (_, i) => `  - prompt: p${i}`).join('\n');
    const text = minimal.replace('  - prompt: A dancer.', inputs) + 'gate:\n  looks: [1000]\n';
    expect(errorOf(text)).toMatch(/gate\.looks: 600 cells × \(1 warm-up \+ 1000 rounds\) × 2 sides = 1201200 runs, more than 1000000/);
  });

  it('accepts a 600h timeout as 600 hours (beyond Node\'s 24.8-day timer limit)', () => {
    expect(parseConfig(minimal + '  timeout: 600h\n', 'f.yml').run.timeout).toBe(600 * 3_600_000);
  });

  it('refuses a YAML alias bomb with a config error instead of expanding it', () => {
    const bomb = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 1; i < 9; i++) bomb.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(',')}]`);
    const started = Date.now();
    expect(errorOf(bomb.join('\n') + '\n')).toMatch(/^frametail\.yml:1: invalid YAML: too many aliases/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('refuses invalid UTF-8 naming its line', () => {
    const bytes = Buffer.concat([Buffer.from('experiment:\n  name: Caf'), Buffer.from([0xe9]), Buffer.from('\n')]);
    expect(() => decodeUtf8(bytes, 'frametail.yml')).toThrow(/^frametail\.yml:2: not valid UTF-8/);
    expect(decodeUtf8(Buffer.from('name: Café\n'), 'f.yml')).toBe('name: Café\n');
  });
});

describe('config parser fuzz: a typed config or a clear InputError, never a crash', () => {
  const leaf = fc.oneof(fc.string({ maxLength: 20 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null));
  const field = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, leaf);
  const config = fc.record(
    {
      experiment: field(fc.record({ name: field(fc.string({ minLength: 1, maxLength: 10 })) }, { requiredKeys: [] })),
      dimension: field(fc.record({ name: field(fc.constant('Camera')), variants: field(fc.array(fc.record({ label: field(fc.string({ minLength: 1, maxLength: 8 })), id: field(fc.string({ maxLength: 8 })) }, { requiredKeys: ['label'] }), { maxLength: 3 })) })),
      inputs: field(fc.array(fc.record({ prompt: field(fc.string({ minLength: 1, maxLength: 12 })) }), { maxLength: 3 })),
      run: field(fc.record({ command: field(fc.oneof(fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }), fc.record({ shell: fc.string({ maxLength: 20 }) }))), timeout: field(fc.oneof(fc.integer(), fc.constantFrom('1s', '600h', '9999999h', '-1'))), warmup: field(fc.integer()), concurrency: field(fc.double()) }, { requiredKeys: ['command'] })),
      gate: field(fc.record({ looks: field(fc.array(fc.integer({ min: -5, max: 2_000_000_000 }), { maxLength: 5 })), alpha: field(fc.double()) }, { requiredKeys: [] })),
    },
    { requiredKeys: [] },
  );

  it('structured configs', () => {
    fc.assert(
      fc.property(config, (value) => {
        const started = performance.now();
        try {
          const parsed = parseConfig(JSON.stringify(value), 'f.yml');
          expect(parsed.inputs.length).toBeGreaterThan(0);
          expect(parsed.gate.looks.every((n, i) => i === 0 || n > parsed.gate.looks[i - 1]!)).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
          expect((error as Error).message).toMatch(/^f\.yml(:\d+)?: /);
          expect((error as Error).message).not.toMatch(/internal error|undefined/);
        }
        expect(performance.now() - started).toBeLessThan(1000);
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary text, including YAML anchors and aliases', () => {
    const text = fc.oneof(fc.string({ maxLength: 200 }), fc.array(fc.constantFrom('a: ', '&x ', '*x', '[', ']', '{', '}', '\n', '- ', 'inputs:', '  ', '"', "'", '!!', '%YAML', '---', '#', ':'), { maxLength: 60 }).map((parts) => parts.join('')));
    fc.assert(
      fc.property(text, (value) => {
        try {
          parseConfig(value, 'f.yml');
        } catch (error) {
          expect(error).toBeInstanceOf(InputError);
        }
      }),
      { numRuns: 500 },
    );
  });
});
