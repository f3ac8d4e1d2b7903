import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

/** A fixture written by scripts/reference/make_stats_fixtures.py: the scipy call, inputs, outputs. */
export interface ReferenceCase<I, O> {
  call: string;
  input: I;
  output: O;
}

/** Reads fixtures/stats/<name>.json and returns its `cases`. */
export function loadReference<T>(name: string): T {
  const url = new URL(`../../fixtures/stats/${name}.json`, import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { cases: T }).cases;
}

/** Asserts |actual − expected| ≤ relative·|expected| (exact equality for infinities), naming the scipy call. */
export function expectClose(actual: number, expected: number, relative: number, call: string): void {
  if (!Number.isFinite(expected)) {
    expect(actual, call).toBe(expected);
    return;
  }
  const error = Math.abs(actual - expected);
  expect(error, `${call}: got ${actual}, scipy ${expected}`).toBeLessThanOrEqual(relative * Math.abs(expected) + 1e-300);
}
