/**
 * OTLP KeyValue lists → plain records. Works on both the OTLP JSON mapping (intValue as a string, bytes as
 * base64) and on protobufjs messages (intValue as a Long, bytes as a Uint8Array): in both, the one set
 * `AnyValue` field is an own property, so the first own key names the variant.
 */
export function attributesFromKeyValues(list: unknown, depth = 0, rejectRounded = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as { key?: unknown; value?: unknown }[]) {
    if (kv && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value, depth, rejectRounded);
  }
  return out;
}

/**
 * Thrown (when asked) for a JSON number that JSON.parse may have rounded, an integer of 2^53 or more, in a
 * field whose digits matter (a time, an int attribute): json.ts then parses the text again losslessly.
 */
export class RoundedNumberError extends Error {}

/** True for a number JSON.parse may have rounded: integers at or past 2^53 in magnitude. */
export function maybeRounded(value: unknown): boolean {
  return typeof value === 'number' && Math.abs(value) >= 2 ** 53;
}

/** Arrays and key-value lists nested deeper than this become null: the sender controls the depth, the stack must not. */
export const MAX_VALUE_DEPTH = 16;

const VARIANTS = new Set(['stringValue', 'intValue', 'doubleValue', 'boolValue', 'arrayValue', 'kvlistValue', 'bytesValue']);

/**
 * The AnyValue variant that is set: the first own key that names one. for…in lists own keys before
 * inherited ones (protobufjs keeps field defaults on the prototype), so usually the first key decides.
 */
function setVariant(record: Record<string, unknown>): string | undefined {
  for (const key in record) {
    if (VARIANTS.has(key) && Object.prototype.hasOwnProperty.call(record, key)) return key;
  }
  return undefined;
}

/**
 * One AnyValue as a JSON-friendly value: int64 beyond 2^53 stays a decimal string, bytes become base64;
 * arrays and lists nested deeper than MAX_VALUE_DEPTH become null.
 */
export function anyValue(value: unknown, depth = 0, rejectRounded = false): unknown {
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const variant = setVariant(record);
  if (variant === undefined) return null;
  const v = record[variant];
  switch (variant) {
    case 'intValue':
      if (rejectRounded && maybeRounded(v)) throw new RoundedNumberError();
      return intValue(v);
    case 'doubleValue':
      return typeof v === 'number' ? v : Number(v);
    case 'arrayValue':
      if (depth >= MAX_VALUE_DEPTH) return null;
      return Array.isArray((v as { values?: unknown })?.values)
        ? ((v as { values: unknown[] }).values).map((item) => anyValue(item, depth + 1, rejectRounded))
        : [];
    case 'kvlistValue':
      return depth >= MAX_VALUE_DEPTH ? null : attributesFromKeyValues((v as { values?: unknown })?.values, depth + 1, rejectRounded);
    case 'bytesValue':
      return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
    default:
      return v;
  }
}

/** A protobuf int64 (a Long's two words) as attributes hold it: a number when exact, else its decimal string. */
export function int64Value(long: { low: number; high: number }): number | string | null {
  return intValue(long);
}

/** int64 as a number when exact, else its decimal string (never a rounded number). */
function intValue(v: unknown): number | string | null {
  let big: bigint;
  if (typeof v === 'number') return v;
  // Up to 15 digits is below 2^53: exact as a number, no bigint (+ 0 turns "-0" into 0, as the bigint would).
  if (typeof v === 'string' && SHORT_INT.test(v)) return Number(v) + 0;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) big = BigInt(v);
  else if (v !== null && typeof v === 'object' && 'low' in v && 'high' in v) {
    const long = v as { low: number; high: number };
    // |value| < 2^53 when the high word is within ±2^21: a plain number, no bigint needed.
    const high = long.high | 0;
    if (high > -(2 ** 21) && high < 2 ** 21) return high * 2 ** 32 + (long.low >>> 0);
    big = (BigInt(high) << 32n) + BigInt(long.low >>> 0);
  } else return null;
  return big >= MIN_SAFE && big <= MAX_SAFE ? Number(big) : String(big);
}

const SHORT_INT = /^-?\d{1,15}$/;
const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);
