import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // CI machines are slow and shared: the end-to-end tests run real processes, git and Chromium, and took 2–3×
    // longer under load than idle. Timeouts are for hangs, not for speed (speed is measured by `npm run bench`).
    testTimeout: 180_000,
    hookTimeout: 240_000,
    pool: 'forks',
    setupFiles: ['tests/setup/fast-check.ts'],
  },
});
