// Bundles the two entry points with ncc into the committed dist/ (DESIGN §2):
//   dist/index.js      the action (action.yml runs it on node24)
//   dist/cli/index.js  the CLI (bin/frametail.js loads it)
// dist/package.json marks the bundles as ES modules.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const entries = [
  { src: 'src/action/main.ts', out: 'dist' },
  { src: 'src/cli/main.ts', out: 'dist/cli' },
];
rmSync('dist', { recursive: true, force: true });
// No ncc cache (--no-cache): with its webpack cache in ~/.cache/ncc (or node_modules/.cache), a warm build named the
// other of two installed copies of a package (isarray 1 and 2) in licenses.txt than a cold one, so a fresh clone
// "found" dist/ stale. A cold build every time is what CI checks, and takes about a minute.
for (const { src, out } of entries) {
  execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', src, '-o', out, '--license', 'licenses.txt', '--quiet', '--no-cache', '--target', 'es2022'], { stdio: 'inherit' });
}
mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
