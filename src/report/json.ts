/**
 * report.json's text, in pieces of at most one cell, so a matrix of 100,000 cells is written without
 * first building one string (and then its bytes) of hundreds of megabytes.
 *
 * Up to COMPACT_CELLS cells it is `JSON.stringify(report, null, 2)` byte for byte, for people reading it.
 * Beyond, the report stays indented but each cell is one compact line (`jq`, `grep` and line tools still
 * work): at 100,000 cells indenting every sample on its own line made the file 243 MiB instead of
 * 134 MiB and took more time than the comparison's statistics (npm run bench:compare).
 */
import type { Report } from './model.js';

/** Largest matrix whose report.json is fully indented. */
export const COMPACT_CELLS = 1000;

export function* reportJsonChunks(report: Report): Generator<string> {
  let first = true;
  yield '{';
  for (const [key, value] of Object.entries(report)) {
    // As JSON.stringify: a member whose value has no JSON form is left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    yield `${first ? '\n  ' : ',\n  '}${JSON.stringify(key)}: `;
    first = false;
    if (key === 'cells' && Array.isArray(value) && value.length > 0) {
      const compact = value.length > COMPACT_CELLS;
      for (let i = 0; i < value.length; i++) {
        const text = (compact ? JSON.stringify(value[i]) : JSON.stringify(value[i], null, 2)) ?? 'null';
        yield `${i === 0 ? '[\n    ' : ',\n    '}${compact ? text : indent(text, '    ')}`;
      }
      yield '\n  ]';
    } else {
      yield indent(JSON.stringify(value, null, 2), '  ');
    }
  }
  yield first ? '}' : '\n}';
}

/** report.json's whole text, final newline included, in pieces of about a megabyte (for a file or stdout). */
export function* reportJsonBatches(report: Report, size = 1 << 20): Generator<string> {
  let batch = '';
  for (const chunk of reportJsonChunks(report)) {
    batch += chunk;
    if (batch.length >= size) {
      yield batch;
      batch = '';
    }
  }
  yield batch + '\n';
}

/** report.json's whole text, for a report rendered as one string. */
export function reportJsonText(report: Report): string {
  return [...reportJsonBatches(report)].join('');
}

/** Every line after the first indented by `by`: a string's own line breaks are escaped in JSON, so each `\n` starts a line. */
function indent(text: string, by: string): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${by}`) : text;
}
