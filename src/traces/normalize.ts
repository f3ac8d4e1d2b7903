import type { CodeLocation, Span } from './span.js';

/**
 * Normalizers shared by every trace format: ids, times, status and code location arrive in several
 * spellings (hex or base64 ids, nanoseconds as strings, numbers or protobuf Longs) and leave in one.
 */

const HEX = /^[0-9a-fA-F]+$/;
const LOWER_HEX = /^[0-9a-f]+$/;
const ZERO_ID = { 8: '0'.repeat(16), 16: '0'.repeat(32) };
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+={0,2}$/;

/**
 * A trace id (16 bytes) or span id (8 bytes) as lowercase hex, from hex, base64 (the protobuf JSON mapping
 * of `bytes`, which some senders use) or raw bytes. Null when absent, all zero (invalid per W3C) or malformed.
 */
export function normalizeId(value: unknown, bytes: 8 | 16): string | null {
  let hex: string | null = null;
  if (typeof value === 'string') {
    if (value.length === bytes * 2 && LOWER_HEX.test(value)) hex = value;
    else if (value.length === bytes * 2 && HEX.test(value)) hex = value.toLowerCase();
    else if ((value.length === base64Length(bytes) || value.length === unpaddedBase64Length(bytes)) && BASE64.test(value)) {
      const buf = Buffer.from(value, value.includes('-') || value.includes('_') ? 'base64url' : 'base64');
      if (buf.length === bytes) hex = buf.toString('hex');
    }
  } else if (value instanceof Uint8Array && value.length === bytes) {
    // Node's own hex encoder: several times faster than joining per-byte strings, and a flat string.
    hex = (Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.length)).toString('hex');
  }
  return hex === null || hex === ZERO_ID[bytes] ? null : hex;
}

/** Length of the padded base64 text of `bytes` bytes (12 for a span id, 24 for a trace id). */
function base64Length(bytes: number): number {
  return Math.ceil(bytes / 3) * 4;
}

/** Length without `=` padding, as base64url writers emit it (11 and 22). */
function unpaddedBase64Length(bytes: number): number {
  return Math.ceil((bytes * 4) / 3);
}

/** Lowercase hex of an id as base64, the inverse of normalizeId for base64 input (used by tests and writers). */
export function idToBase64(hex: string): string {
  return Buffer.from(hex, 'hex').toString('base64');
}

interface LongLike {
  low: number;
  high: number;
}

/**
 * Nanoseconds as a bigint from a decimal string, a bigint, a JSON number (exact only up to 2^53: long
 * literals are quoted by parseJsonLossless before they reach here) or a protobuf fixed64 Long. Null when
 * the value is missing or not a non-negative integer.
 */
export function parseNs(value: unknown): bigint | null {
  if (typeof value === 'string') return /^\d{1,20}$/.test(value) ? BigInt(value) : null;
  if (typeof value === 'bigint') return value >= 0n ? value : null;
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? BigInt(Math.round(value)) : null;
  if (value !== null && typeof value === 'object' && 'low' in value && 'high' in value) {
    const long = value as LongLike;
    return (BigInt(long.high >>> 0) << 32n) | BigInt(long.low >>> 0);
  }
  return null;
}

/** OTLP status code (number or enum name, as the JSON mapping allows either) → our three states. */
export function normalizeStatus(code: unknown): Span['status'] {
  switch (code) {
    case 1:
    case 'STATUS_CODE_OK':
    case 'OK':
    case 'ok':
      return 'ok';
    case 2:
    case 'STATUS_CODE_ERROR':
    case 'ERROR':
    case 'error':
      return 'error';
    default:
      return 'unset';
  }
}

/**
 * Source location from the semantic-convention attributes, current names first (`code.file.path`,
 * `code.line.number`, `code.function.name`) then the deprecated ones (`code.filepath`, `code.lineno`,
 * `code.function`). Undefined when no file is named: a line without a file cannot be annotated.
 */
export function codeLocation(attributes: Record<string, unknown>): CodeLocation | undefined {
  const file = attributes['code.file.path'] ?? attributes['code.filepath'];
  if (typeof file !== 'string' || file === '') return undefined;
  const location: CodeLocation = { file };
  const line = Number(attributes['code.line.number'] ?? attributes['code.lineno']);
  if (Number.isInteger(line) && line > 0) location.line = line;
  const fn = attributes['code.function.name'] ?? attributes['code.function'];
  if (typeof fn === 'string' && fn !== '') location.function = fn;
  return location;
}
