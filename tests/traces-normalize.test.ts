import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseJsonLossless, quoteUnsafeIntegers } from '../src/traces/lossless-json.js';
import { codeLocation, idToBase64, normalizeId, normalizeStatus, parseNs } from '../src/traces/normalize.js';

const hexOf = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).filter((b) => b.some((x) => x !== 0)).map((b) => Buffer.from(b).toString('hex'));

describe('normalizeId', () => {
  it('reads hex, base64 and raw bytes of trace and span ids to the same lowercase hex', () => {
    fc.assert(
      fc.property(fc.constantFrom<8 | 16>(8, 16).chain((n) => fc.tuple(fc.constant(n), hexOf(n))), ([bytes, hex]) => {
        expect(normalizeId(hex, bytes)).toBe(hex);
        expect(normalizeId(hex.toUpperCase(), bytes)).toBe(hex);
        expect(normalizeId(idToBase64(hex), bytes)).toBe(hex);
        expect(normalizeId(Buffer.from(hex, 'hex').toString('base64url'), bytes)).toBe(hex);
        expect(normalizeId(new Uint8Array(Buffer.from(hex, 'hex')), bytes)).toBe(hex);
      }),
    );
  });

  it('rejects all-zero, wrong-length and non-id values', () => {
    expect(normalizeId('0000000000000000', 8)).toBeNull();
    expect(normalizeId('', 8)).toBeNull();
    expect(normalizeId('abc', 8)).toBeNull();
    expect(normalizeId('eee19b7ec3c1b174', 16)).toBeNull();
    expect(normalizeId('zzzzzzzzzzzzzzzz', 8)).toBeNull();
    expect(normalizeId(42, 8)).toBeNull();
    expect(normalizeId(undefined, 8)).toBeNull();
  });
});

describe('parseNs', () => {
  it('keeps every digit of nanosecond strings, bigints and protobuf Longs up to 2^64-1', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), (ns) => {
        expect(parseNs(ns.toString())).toBe(ns);
        expect(parseNs(ns)).toBe(ns);
        const long = { low: Number(ns & 0xffffffffn) | 0, high: Number(ns >> 32n) | 0, unsigned: true };
        expect(parseNs(long)).toBe(ns);
      }),
    );
  });

  it('accepts safe JSON numbers and rejects negative or non-numeric times', () => {
    expect(parseNs(1_700_000_000)).toBe(1_700_000_000n);
    expect(parseNs(-1)).toBeNull();
    expect(parseNs('-5')).toBeNull();
    expect(parseNs('12.5')).toBeNull();
    expect(parseNs(null)).toBeNull();
  });
});

describe('parseJsonLossless', () => {
  it('parses nanosecond times written as bare numbers beyond 2^53 without rounding', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 2n ** 53n, max: (1n << 64n) - 1n }), fc.string(), (ns, name) => {
        const text = `{"name":${JSON.stringify(name)},"startTimeUnixNano":${ns},"endTimeUnixNano":"${ns}"}`;
        const parsed = parseJsonLossless(text) as { name: string; startTimeUnixNano: unknown };
        expect(parsed.name).toBe(name);
        expect(parseNs(parsed.startTimeUnixNano)).toBe(ns);
      }),
    );
  });

  it('leaves digits inside strings, fractions, exponents and safe integers alone', () => {
    const text = '{"a":"12345678901234567890","b":0.12345678901234567890,"c":1e12345678901234567,"d":9007199254740991,"e":[-98765432109876543210]}';
    expect(quoteUnsafeIntegers(text)).toBe(
      '{"a":"12345678901234567890","b":0.12345678901234567890,"c":1e12345678901234567,"d":9007199254740991,"e":["-98765432109876543210"]}',
    );
    expect(parseJsonLossless('{"t":9007199254740993}')).toEqual({ t: '9007199254740993' });
  });

  it('parses arbitrary JSON exactly like JSON.parse when no unsafe integer occurs', () => {
    const hasUnsafeInteger = (v: unknown): boolean =>
      typeof v === 'number'
        ? Number.isInteger(v) && !Number.isSafeInteger(v)
        : v !== null && typeof v === 'object' && Object.values(v).some(hasUnsafeInteger);
    fc.assert(fc.property(fc.jsonValue(), (value) => {
      fc.pre(!hasUnsafeInteger(value));
      const text = JSON.stringify(value);
      expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
    }));
  });
});

describe('normalizeStatus and codeLocation', () => {
  it('maps OTLP status codes given as numbers or enum names', () => {
    expect([0, 1, 2, 'STATUS_CODE_OK', 'STATUS_CODE_ERROR', undefined].map(normalizeStatus)).toEqual(['unset', 'ok', 'error', 'ok', 'error', 'unset']);
  });

  it('reads current and deprecated code attributes, and needs a file', () => {
    expect(codeLocation({ 'code.file.path': 'a.py', 'code.line.number': 3, 'code.function.name': 'f' })).toEqual({ file: 'a.py', line: 3, function: 'f' });
    expect(codeLocation({ 'code.filepath': 'b.py', 'code.lineno': '9' })).toEqual({ file: 'b.py', line: 9 });
    expect(codeLocation({ 'code.line.number': 3 })).toBeUndefined();
  });
});
