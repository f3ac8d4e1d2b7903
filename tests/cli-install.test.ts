/**
 * The CLI as a user installs it: `npm pack` of this package (with the CLI bundle built from src) gives
 * a tarball that holds only the CLI, needs no dependency at run time (the bundle carries them), and
 * `npx --yes file:<tarball> bench` measures a project in a fresh directory — offline, with an empty
 * npm cache, so nothing can come from a registry.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, expect, it } from 'vitest';
import { createTestRepo } from './helpers/git-repo.js';
import { scratchDir } from './helpers/scratch.js';

const ROOT = resolve(import.meta.dirname, '..');
const run = promisify(execFile);
let tarball: string;

beforeAll(() => {
  // The package as `npm run build` leaves it, with only the CLI bundle (the action's is not published).
  const pkg = scratchDir('ft-pack-');
  for (const entry of ['package.json', 'bin', 'frametail.schema.json', 'README.md']) cpSync(join(ROOT, entry), join(pkg, entry), { recursive: true });
  const build = scratchDir('ft-pack-build-');
  cpSync(join(ROOT, 'src'), join(build, 'src'), { recursive: true, filter: (p) => !p.endsWith('.test.ts') });
  const tsconfig = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as Record<string, unknown>;
  delete tsconfig.include;
  writeFileSync(join(build, 'tsconfig.json'), JSON.stringify({ ...tsconfig, files: ['src/cli/main.ts'] }));
  cpSync(join(ROOT, 'package.json'), join(build, 'package.json'));
  symlinkSync(join(ROOT, 'node_modules'), join(build, 'node_modules'));
  execFileSync(process.execPath, [join(ROOT, 'node_modules/@vercel/ncc/dist/ncc/cli.js'), 'build', 'src/cli/main.ts', '-o', join(pkg, 'dist/cli'), '--quiet', '--target', 'es2022'], { cwd: build, stdio: 'pipe' });
  const out = scratchDir('ft-tarball-');
  const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: pkg, encoding: 'utf8', env: { ...process.env, npm_config_cache: join(out, 'cache') } }).trim().split('\n').at(-1)!;
  tarball = join(out, name);
}, 400_000);

it('packs the CLI alone: bin and bundle, no sources, tests or dependencies to install', () => {
  const files = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).trim().split('\n').sort();
  expect(files).toContain('package/bin/frametail.js');
  expect(files).toContain('package/dist/cli/index.js');
  expect(files).toContain('package/README.md');
  expect(files.filter((f) => /^package\/(src|tests|fixtures|scripts)\//.test(f) || f === 'package/dist/index.js')).toEqual([]);
  const manifest = JSON.parse(execFileSync('tar', ['xzOf', tarball, 'package/package.json'], { encoding: 'utf8' })) as Record<string, unknown>;
  expect(manifest.private).toBeUndefined();
  expect(manifest.dependencies ?? {}).toEqual({});
  expect(manifest.bin).toEqual({ frametail: 'bin/frametail.js' });
});

it('runs `npx --yes file:<tarball> bench` in a fresh project, offline', async () => {
  const repo = createTestRepo(join(scratchDir('ft-npx-'), 'project'));
  // FRAMETAIL_READ_WORKER=always: the bundle reads the head results in a worker thread running itself, whatever their size.
  const env = { ...process.env, npm_config_cache: scratchDir('ft-npx-cache-'), npm_config_offline: 'true', npm_config_update_notifier: 'false', FRAMETAIL_READ_WORKER: 'always' };
  const result = await run('npx', ['--yes', `file:${tarball}`, 'bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd: repo.dir, env, maxBuffer: 16 * 1024 * 1024 }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );
  expect([0, 1], result.stderr).toContain(result.code);
  expect(result.stderr).toMatch(/base: main → [0-9a-f]{12}/);
  expect(existsSync(join(repo.dir, 'out/report.json'))).toBe(true);
  expect(JSON.parse(readFileSync(join(repo.dir, 'out/report.json'), 'utf8'))).toMatchObject({ schema: 'frametail.report/1' });
}, 300_000);
