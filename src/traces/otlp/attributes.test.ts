import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { anyValue } from './attributes.js';

/** An int64 as protobufjs's Long hands it over: two's-complement words. */
const long = (value: bigint) => ({ low: Number(BigInt.asUintN(32, value)) | 0, high: Number(BigInt.asIntN(32, value >> 32n)), unsigned: false });
const expected = (value: bigint) => (value >= -(2n ** 53n - 1n) && value <= 2n ** 53n - 1n ? Number(value) : String(value));

describe('anyValue intValue', () => {
  it('gives an exact number inside ±(2^53 − 1) and the decimal string outside, from protobuf Longs and JSON strings', () => {
    const edges = [0n, -1n, 2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n - 1n), -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 2n ** 32n, -(2n ** 32n), 2n ** 31n];
    for (const value of edges) {
      expect(anyValue({ intValue: long(value) })).toBe(expected(value));
      expect(anyValue({ intValue: String(value) })).toBe(expected(value));
    }
    fc.assert(
      fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), (value) => {
        expect(anyValue({ intValue: long(value) })).toBe(expected(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads JSON decimal strings the same with or without leading zeros or a minus zero, short or long', () => {
    const spelled = fc.tuple(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.nat({ max: 3 }), fc.boolean());
    fc.assert(
      fc.property(spelled, ([value, zeros, short]) => {
        const digits = (value < 0n ? -value : value).toString();
        const text = `${value < 0n ? '-' : ''}${'0'.repeat(zeros)}${short ? digits.slice(0, 15 - zeros) || '0' : digits}`;
        expect(anyValue({ intValue: text })).toBe(expected(BigInt(text)));
      }),
      { numRuns: 2000 },
    );
    expect(anyValue({ intValue: '-0' })).toBe(0);
    expect(Object.is(anyValue({ intValue: '-000' }), 0)).toBe(true);
  });
});
