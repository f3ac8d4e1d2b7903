/**
 * What the receiver's span-line fast paths (json-lines.ts, proto-lines.ts) give for one request: per
 * resource, each span's results.jsonl line after `"run":…,` (see lines.ts's spanLinesJson). Each such tail
 * starts with `"traceId":"<32 hex digits>"` (TRACE_ID_IN_TAIL), the run of a span whose resource has none.
 */
export interface SpanTextGroup {
  resource: Record<string, unknown>;
  tails: string[];
}

/** Where a tail holds its trace id. */
export const TRACE_ID_IN_TAIL = { start: '"traceId":"'.length, end: '"traceId":"'.length + 32 };

/** Thrown by a fast path for anything it leaves to the reference path (Span objects, then spanLinesJson). */
export class TextMiss extends Error {}
export const TEXT_MISS = new TextMiss('span text fast path miss');

/**
 * Collects one span's attributes as the JSON text JSON.stringify gives for the record attributes.ts builds.
 * Keys that record would not keep in arrival order once each are left to the reference path: a repeated key
 * (the record keeps the last value at the first place), an array-index key like "0" (JSON.stringify writes
 * those first) and "__proto__" (which sets the record's prototype instead of a property).
 */
export class AttributeText {
  private readonly keys: string[] = [];
  private text = '';

  add(key: string, value: unknown): void {
    const first = key.charCodeAt(0);
    if ((first >= 48 && first <= 57) || key === '__proto__') throw TEXT_MISS;
    const keys = this.keys;
    for (let i = 0; i < keys.length; i++) if (keys[i] === key) throw TEXT_MISS;
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) throw TEXT_MISS;
    this.text += keys.length === 0 ? `${JSON.stringify(key)}:${json}` : `,${JSON.stringify(key)}:${json}`;
    keys.push(key);
  }

  /** The `{…}` text; the collector is then empty for the next span. */
  take(): string {
    const text = `{${this.text}}`;
    this.text = '';
    this.keys.length = 0;
    return text;
  }
}

/** Everything of a span line after `"run":…,`, as lines.ts writes it (ids are normalized lowercase hex). */
export function spanTail(
  traceId: string,
  spanId: string,
  parentSpanId: string | null,
  name: string,
  startNs: string,
  endNs: string,
  status: 'unset' | 'ok' | 'error',
  attributes: string,
): string {
  return (
    `"traceId":"${traceId}","spanId":"${spanId}","parentSpanId":${parentSpanId === null ? 'null' : `"${parentSpanId}"`},"name":${JSON.stringify(name)},` +
    `"startNs":"${startNs}","endNs":"${endNs}","status":"${status}","attributes":${attributes}}`
  );
}

/** "0000" … "9999". */
const FOUR_DIGITS = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, '0'));

/**
 * The decimal text of the unsigned 64-bit integer `high` · 2^32 + `low` (both words unsigned), as
 * BigInt(…).toString() gives it, without bigint: split at 10^4 so both parts are exact doubles. With
 * 2^32 = 429,496 · 10^4 + 7,296, the value is (high · 429,496 + ⌊t / 10^4⌋) · 10^4 + t mod 10^4 where
 * t = high · 7,296 + low; high · 429,496 < 2^51 and t < 2^45.
 */
export function uint64Decimal(low: number, high: number): string {
  if (high < 2 ** 21) return String(high * 2 ** 32 + low);
  const t = high * 7296 + low;
  const carry = Math.floor(t / 10_000);
  return `${high * 429_496 + carry}${FOUR_DIGITS[t - carry * 10_000]}`;
}
