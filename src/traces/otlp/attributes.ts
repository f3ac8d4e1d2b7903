/**
 * OTLP KeyValue lists → plain records. Works on both the OTLP JSON mapping (intValue as a string, bytes as
 * base64) and on protobufjs messages (intValue as a Long, bytes as a Uint8Array): in both, the one set
 * `AnyValue` field is an own property, so the first own key names the variant.
 */
export function attributesFromKeyValues(list: unknown, depth = 0): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!Array.isArray(list)) return out;
  for (const kv of list as { key?: unknown; value?: unknown }[]) {
    if (kv && typeof kv.key === 'string') out[kv.key] = anyValue(kv.value, depth);
  }
  return out;
}

/** Arrays and key-value lists nested deeper than this become null: the sender controls the depth, the stack must not. */
export const MAX_VALUE_DEPTH = 16;

const VARIANTS = ['stringValue', 'intValue', 'doubleValue', 'boolValue', 'arrayValue', 'kvlistValue', 'bytesValue'];

/**
 * One AnyValue as a JSON-friendly value: int64 beyond 2^53 stays a decimal string, bytes become base64;
 * arrays and lists nested deeper than MAX_VALUE_DEPTH become null.
 */
export function anyValue(value: unknown, depth = 0): unknown {
  if (value === null || typeof value !== 'object') return null;
  const record = value as Record<string, unknown>;
  const variant = VARIANTS.find((key) => Object.prototype.hasOwnProperty.call(record, key));
  if (variant === undefined) return null;
  const v = record[variant];
  switch (variant) {
    case 'intValue':
      return intValue(v);
    case 'doubleValue':
      return typeof v === 'number' ? v : Number(v);
    case 'arrayValue':
      if (depth >= MAX_VALUE_DEPTH) return null;
      return Array.isArray((v as { values?: unknown })?.values)
        ? ((v as { values: unknown[] }).values).map((item) => anyValue(item, depth + 1))
        : [];
    case 'kvlistValue':
      return depth >= MAX_VALUE_DEPTH ? null : attributesFromKeyValues((v as { values?: unknown })?.values, depth + 1);
    case 'bytesValue':
      return v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
    default:
      return v;
  }
}

/** int64 as a number when exact, else its decimal string (never a rounded number). */
function intValue(v: unknown): number | string | null {
  let big: bigint;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) big = BigInt(v);
  else if (v !== null && typeof v === 'object' && 'low' in v && 'high' in v) {
    const long = v as { low: number; high: number };
    big = (BigInt(long.high | 0) << 32n) + BigInt(long.low >>> 0);
  } else return null;
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : String(big);
}
