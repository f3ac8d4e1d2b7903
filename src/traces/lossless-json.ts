/**
 * JSON.parse that keeps integers beyond 2^53 exact: OTLP JSON may carry nanosecond times as bare numbers
 * (`"startTimeUnixNano": 1700000000123456789`), which JSON.parse would round to the nearest double.
 *
 * A cheap scan first looks for an unsafe integer literal (17+ digits, or 16 digits above MAX_SAFE_INTEGER);
 * only then does a tokenizer-aware pass (string literals are matched and skipped, so digits inside strings
 * are never touched) wrap those literals in quotes. Consumers of time fields accept decimal strings, so the
 * quoted value flows on as an exact string. Typical inputs (string times, Chrome µs timestamps) pay only the
 * scan.
 */
export function parseJsonLossless(text: string): unknown {
  return JSON.parse(hasUnsafeIntegerCandidate(text) ? quoteUnsafeIntegers(text) : text);
}

// A digit run that may be an unsafe integer (17+ digits, or 16 starting with 9) where a number may start:
// after `:`, `,` or `[` (and whitespace, a sign). Digit runs in string values such as
// `"1700000000000000000"` follow a quote and never match, nor do Chrome's 16-digit epoch microseconds, so
// typical inputs cost one scan that allocates nothing.
const VALUE_DIGIT_RUN = /[:,[]\s*-?(\d{17,}|9\d{15})/g;
const MAX_SAFE = String(Number.MAX_SAFE_INTEGER);

/** True when an integer literal that does not fit a double exactly may occur in `text` (false positives only cost time). */
function hasUnsafeIntegerCandidate(text: string): boolean {
  VALUE_DIGIT_RUN.lastIndex = 0;
  for (let m = VALUE_DIGIT_RUN.exec(text); m !== null; m = VALUE_DIGIT_RUN.exec(text)) {
    if (isUnsafeDigits(m[1]!)) return true;
  }
  return false;
}

function isUnsafeDigits(digits: string): boolean {
  return digits.length > MAX_SAFE.length || (digits.length === MAX_SAFE.length && digits > MAX_SAFE);
}

// A string literal, or an integer literal not part of a fraction or exponent.
const TOKEN = /"(?:[^"\\]|\\.)*"|(?<![\d.eE+-])-?\d{16,}(?![\d.eE])/g;

/** Wraps every unsafe integer literal outside string literals in quotes; leaves the rest byte for byte. */
export function quoteUnsafeIntegers(text: string): string {
  let out = '';
  let last = 0;
  TOKEN.lastIndex = 0;
  for (let m = TOKEN.exec(text); m !== null; m = TOKEN.exec(text)) {
    const token = m[0];
    if (token.charCodeAt(0) === 34 /* " */) continue;
    const digits = token.charCodeAt(0) === 45 /* - */ ? token.slice(1) : token;
    if (!isUnsafeDigits(digits)) continue;
    out += text.slice(last, m.index) + '"' + token + '"';
    last = m.index + token.length;
  }
  return last === 0 ? text : out + text.slice(last);
}
