// Bundles the two entry points with ncc into the committed dist/ (DESIGN §2):
//   dist/index.js      the action (action.yml runs it on node24)
//   dist/cli/index.js  the CLI (bin/frametail.js loads it)
// dist/package.json marks the bundles as ES modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';

const entries = [
  { src: 'src/action/main.ts', out: 'dist' },
  { src: 'src/cli/main.ts', out: 'dist/cli' },
];
rmSync('dist', { recursive: true, force: true });
// ncc keeps a webpack cache in ~/.cache/ncc/<sha1 of the working directory>. A cache left by an older tree at the
// same path changed which copy of a package with two installed versions (isarray 1 and 2) licenses.txt names, so a
// fresh clone at that path "found" dist/ stale. The cache lives in node_modules/.cache instead: `npm ci` wipes it
// with the packages it describes, and repeated local builds stay fast.
const env = { ...process.env, XDG_CACHE_HOME: resolve('node_modules/.cache') };
for (const { src, out } of entries) {
  execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', src, '-o', out, '--license', 'licenses.txt', '--quiet', '--target', 'es2022'], { stdio: 'inherit', env });
}
mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
