/**
 * The action's bundle, built the way scripts/build.mjs builds dist/index.js: ncc over a copy of src/ whose
 * tsconfig holds only the action's entry, so the build type-checks what the action ships and nothing else.
 * Shared by the end-to-end harness and `npm run bench:startup`; no vitest import, so scripts can use it.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '../..');

/** ncc build of the action's entry into `work`/dist (same flags as scripts/build.mjs); the bundle's path. */
export function bundleActionInto(work: string): string {
  cpSync(join(ROOT, 'src'), join(work, 'src'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  cpSync(join(ROOT, 'package.json'), join(work, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'));
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as Record<string, unknown>;
  delete tsconfig.include;
  writeFileSync(join(work, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['src/action/main.ts'] }));
  const out = join(work, 'dist');
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', 'src/action/main.ts', '-o', out, '--quiet', '--target', 'es2022'], { cwd: work, stdio: 'pipe' });
  writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  return join(out, 'index.js');
}
