// Extracts the GitHub REST operations Frametail calls from GitHub's official OpenAPI description
// (@octokit/openapi, `generated/api.github.com.deref.json`, already dereferenced) into
// fixtures/github/openapi-operations.json. The fake GitHub API in tests/fake-github validates every
// request against that file, so an unknown route or an invalid body fails the tests.
//
// The package installs at ~400 MB, so it is not a dependency. Regenerate with:
//   cd /tmp && npm pack @octokit/openapi && tar xzf octokit-openapi-*.tgz package/generated/api.github.com.deref.json package/package.json
//   node scripts/extract-openapi.mjs --from /tmp/package
// (default --from is node_modules/@octokit/openapi). Add an operation below when the action calls a new one.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The operations the action calls, by operationId (src/github/*). */
const OPERATIONS = [
  'users/get-authenticated',
  'issues/list-comments',
  'issues/create-comment',
  'issues/update-comment',
  'issues/list-events',
  'issues/list-labels-on-issue',
  'checks/create',
  'checks/update',
  'actions/list-workflow-run-artifacts',
  'actions/download-artifact',
  'actions/list-workflow-runs-for-repo',
  'repos/list-pull-requests-associated-with-commit',
  'repos/compare-commits-with-basehead',
  'pulls/list',
];

const args = process.argv.slice(2);
const fromIndex = args.indexOf('--from');
const from = fromIndex >= 0 ? args[fromIndex + 1] : 'node_modules/@octokit/openapi';
if (!from) throw new Error('--from needs a directory');
const out = 'fixtures/github/openapi-operations.json';

const spec = JSON.parse(readFileSync(join(from, 'generated/api.github.com.deref.json'), 'utf8'));
const pkg = JSON.parse(readFileSync(join(from, 'package.json'), 'utf8'));
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

const found = new Map();
for (const [path, item] of Object.entries(spec.paths)) {
  for (const method of METHODS) {
    const op = item[method];
    if (!op || !OPERATIONS.includes(op.operationId)) continue;
    found.set(op.operationId, {
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      parameters: [...(item.parameters ?? []), ...(op.parameters ?? [])].map((p) => ({
        name: p.name,
        in: p.in,
        required: Boolean(p.required),
        schema: p.schema ?? {},
      })),
      requestBody: op.requestBody?.content?.['application/json']?.schema ?? null,
      requestBodyRequired: Boolean(op.requestBody?.required),
      responses: Object.keys(op.responses ?? {}),
    });
  }
}
const missing = OPERATIONS.filter((id) => !found.has(id));
if (missing.length > 0) throw new Error(`not in ${from}: ${missing.join(', ')}`);

const operations = OPERATIONS.map((id) => found.get(id));
writeFileSync(
  out,
  JSON.stringify({ source: `${pkg.name}@${pkg.version} generated/api.github.com.deref.json`, openapi: spec.openapi, operations }, null, 1) + '\n',
);
console.log(`${out}: ${operations.length} operations from ${pkg.name}@${pkg.version}`);
