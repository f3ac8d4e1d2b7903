/**
 * Golden-file comparison for rendered reports. Set UPDATE_GOLDEN=1 to rewrite the files from the
 * current output (then review the diff in git before committing):
 *   UPDATE_GOLDEN=1 npx vitest run tests/report-markdown.test.ts tests/report-terminal.test.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'reports');

/** Compare `actual` with fixtures/reports/<name> exactly, or write it when UPDATE_GOLDEN=1. */
export function expectGolden(name: string, actual: string): void {
  const file = join(GOLDEN_DIR, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) throw new Error(`${file} is missing: run with UPDATE_GOLDEN=1 to create it`);
  expect(actual).toBe(readFileSync(file, 'utf8'));
}
