/**
 * Contract: every Octokit REST method the GitHub adapters call (`client.rest.<scope>.<method>`) maps,
 * through Octokit's own route table, to an operation in fixtures/github/openapi-operations.json. A new
 * call without regenerating the extract (scripts/extract-openapi.mjs) fails here, before it reaches the
 * fake API's 404. And every endpoint a reply error names ('POST /repos/{owner}/{repo}/check-runs') is a
 * real operation, so the message points at the right page of GitHub's REST reference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

it('covers every REST method the adapters call', async () => {
  const table = resolve(ROOT, 'node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js');
  const endpoints = (await import(pathToFileURL(table).href)) as { default: Record<string, Record<string, [string, ...unknown[]]>> };
  const extracted = JSON.parse(readFileSync(join(ROOT, 'fixtures/github/openapi-operations.json'), 'utf8')) as { operations: { method: string; path: string }[] };
  const known = new Set(extracted.operations.map((op) => `${op.method} ${op.path}`));

  const sources = ['src/github', 'src/action'].flatMap((dir) =>
    readdirSync(join(ROOT, dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => readFileSync(join(ROOT, dir, f), 'utf8')),
  );
  const called = new Set(sources.flatMap((text) => [...text.matchAll(/\brest\.(\w+)\.(\w+)/g)].map((m) => `${m[1]}.${m[2]}`)));
  expect(called.size).toBeGreaterThanOrEqual(10);

  const missing = [...called].filter((name) => {
    const [scope, method] = name.split('.') as [string, string];
    const route = endpoints.default[scope]?.[method]?.[0];
    return !route || !known.has(route);
  });
  expect(missing).toEqual([]);
});

it('names real operations in reply errors', () => {
  const extracted = JSON.parse(readFileSync(join(ROOT, 'fixtures/github/openapi-operations.json'), 'utf8')) as { operations: { method: string; path: string }[] };
  const known = new Set(extracted.operations.map((op) => `${op.method} ${op.path}`));
  const sources = readdirSync(join(ROOT, 'src/github')).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).map((f) => readFileSync(join(ROOT, 'src/github', f), 'utf8'));
  const named = [...new Set(sources.flatMap((text) => [...text.matchAll(/'((?:GET|POST|PATCH|PUT|DELETE) \/[^' ]*)'/g)].map((m) => m[1]!)))];
  expect(named.length).toBeGreaterThanOrEqual(10);
  expect(named.filter((endpoint) => !known.has(endpoint))).toEqual([]);
});
