import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The pure core (DESIGN §2) never touches processes, sockets, GitHub or the Actions toolkit:
// those arrive through the adapters in runner/, traces/receiver, github/, action/ and cli/.
const pureCore = ['src/config/**', 'src/plan/**', 'src/stats/**', 'src/compare/**', 'src/report/**'];
const adapterOnly = [
  { group: ['node:child_process', 'child_process'], message: 'processes belong to src/runner adapters' },
  { group: ['node:http', 'http', 'node:https', 'https', 'node:net'], message: 'network belongs to adapters' },
  { group: ['@actions/*', '@octokit/*'], message: 'GitHub belongs to src/github and src/action' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'frametail-demo/**', 'coverage/**', 'examples/**/node_modules/**', '.scratch/**', '.frametail*/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', Buffer: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', performance: 'readonly', TextEncoder: 'readonly', TextDecoder: 'readonly', AbortController: 'readonly', structuredClone: 'readonly', fetch: 'readonly', queueMicrotask: 'readonly', setImmediate: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: pureCore,
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: adapterOnly }] },
  },
  {
    // Adapters never reach up to the entry point: src/github has its own types (repo.ts).
    files: ['src/github/**'],
    ignores: ['**/*.test.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: ['../action/*'], message: 'src/github must not import from src/action (the entry point)' }] }] },
  },
);
