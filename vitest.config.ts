import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Tests whose verdict depends on measured time (a real pipeline must be found slower, and by the right span).
 * They run last, one file at a time, so that no other test file competes with them for the CPU: on a 2-core CI
 * machine a neighbour's load is noise that the gate rightly refuses to call a regression.
 */
const MEASURING = ['tests/demo-attribution.test.ts', 'tests/new-operation-e2e.test.ts', 'tests/example-pipeline.test.ts'];

export default defineConfig({
  test: {
    // CI machines are slow and shared: the end-to-end tests run real processes, git and Chromium, and took 2–3×
    // longer under load than idle. Timeouts are for hangs, not for speed (speed is measured by `npm run bench`).
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    setupFiles: ['tests/setup/fast-check.ts'],
    projects: [
      { extends: true, test: { name: 'suite', include: ['src/**/*.test.ts', 'tests/**/*.test.ts'], exclude: [...configDefaults.exclude, ...MEASURING], sequence: { groupOrder: 0 } } },
      { extends: true, test: { name: 'measuring', include: MEASURING, fileParallelism: false, sequence: { groupOrder: 1 } } },
    ],
  },
});
