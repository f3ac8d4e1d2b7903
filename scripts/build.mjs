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
for (const { src, out } of entries) {
  execFileSync(process.execPath, ['node_modules/@vercel/ncc/dist/ncc/cli.js', 'build', src, '-o', out, '--license', 'licenses.txt', '--quiet', '--target', 'es2022'], { stdio: 'inherit' });
}
mkdirSync('dist', { recursive: true });
writeFileSync('dist/package.json', JSON.stringify({ type: 'module' }, null, 2) + '\n');
