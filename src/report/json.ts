/**
 * report.json's text: `JSON.stringify(report, null, 2)` byte for byte, in pieces of at most one cell, so a
 * matrix of 100,000 cells is written without first building one string (and then its bytes) of hundreds
 * of megabytes.
 */
import type { Report } from './model.js';

export function* reportJsonChunks(report: Report): Generator<string> {
  let first = true;
  yield '{';
  for (const [key, value] of Object.entries(report)) {
    // As JSON.stringify: a member whose value has no JSON form is left out.
    if (value === undefined || typeof value === 'function' || typeof value === 'symbol') continue;
    yield `${first ? '\n  ' : ',\n  '}${JSON.stringify(key)}: `;
    first = false;
    if (key === 'cells' && Array.isArray(value) && value.length > 0) {
      for (let i = 0; i < value.length; i++) yield `${i === 0 ? '[\n    ' : ',\n    '}${indent(JSON.stringify(value[i], null, 2) ?? 'null', '    ')}`;
      yield '\n  ]';
    } else {
      yield indent(JSON.stringify(value, null, 2), '  ');
    }
  }
  yield first ? '}' : '\n}';
}

/** Every line after the first indented by `by`: a string's own line breaks are escaped in JSON, so each `\n` starts a line. */
function indent(text: string, by: string): string {
  return text.includes('\n') ? text.replaceAll('\n', `\n${by}`) : text;
}
