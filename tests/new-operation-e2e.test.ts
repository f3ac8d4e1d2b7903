/**
 * Issue 11 item 1, end to end: head adds a new operation, `decode.sharpen`, to the bundled example pipeline
 * (real OpenTelemetry JS SDK, real receiver, real git worktrees). It exists on head only, so it is compared
 * with absent = 0 ms on base, and `bench` names it as the cause of the regression in the report and on the
 * terminal.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { parseDocument } from 'yaml';
import { causes } from '../src/report/matrix.js';
import type { Report } from '../src/report/model.js';
import { PROJECT_ROOT, runCli } from './helpers/cli.js';
import { git } from './helpers/git-repo.js';

// Under the project (ignored by git), so the example's bare imports resolve through its node_modules.
const dir = mkdtempSync(join(PROJECT_ROOT, '.frametail-test-demo-new-op-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('names a span range head added as the cause: new operation generate/decode.sharpen', { timeout: 600_000 }, async () => {
  const repo = join(dir, 'repo');
  mkdirSync(join(repo, '.github'), { recursive: true });
  const config = parseDocument(readFileSync(join(PROJECT_ROOT, '.github', 'frametail.yml'), 'utf8'));
  // One cell, 7 rounds a side, no warm-up: enough for a one-sided rank test to reach the gate's α.
  config.setIn(['inputs'], [{ id: 'pirouette', prompt: 'A ballet dancer performs a pirouette in a sunlit studio.' }]);
  config.setIn(['dimension', 'variants'], [{ id: 'wide', label: 'Wide shot' }]);
  config.setIn(['gate', 'looks'], [7]);
  config.setIn(['run', 'warmup'], 0);
  config.setIn(['run', 'env'], { FRAMETAIL_OUTPUT_DIR: join(dir, 'videos') });
  writeFileSync(join(repo, '.github', 'frametail.yml'), config.toString().replace(/^# yaml-language-server:.*\n/, ''));
  cpSync(join(PROJECT_ROOT, 'examples', 'video-pipeline'), join(repo, 'examples', 'video-pipeline'), { recursive: true });
  git(repo, 'init', '--quiet', '--initial-branch=main');
  git(repo, 'add', '.');
  git(repo, 'commit', '--quiet', '-m', 'base');
  git(repo, 'checkout', '--quiet', '-b', 'sharpen');
  const generate = join(repo, 'examples', 'video-pipeline', 'generate.mjs');
  const source = readFileSync(generate, 'utf8');
  const patched = source.replace(
    '    const gif = encodeGif(video);',
    "    await inSpan('decode.sharpen', () => new Promise((resolve) => setTimeout(resolve, 800)));\n    const gif = encodeGif(video);",
  );
  expect(patched).not.toBe(source);
  writeFileSync(generate, patched);
  git(repo, 'commit', '--quiet', '-am', 'head: sharpen every video');

  const result = await runCli(['bench', '--config', join(repo, '.github', 'frametail.yml'), '--base', 'main', '--out', join(dir, 'out')], { cwd: repo });
  expect(result.stderr).not.toMatch(/internal error/);
  expect(result.code, result.stdout + result.stderr).toBe(1);

  const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8')) as Report;
  const cell = report.cells[0]!;
  expect(cell.latency?.verdict).toBe('regression');
  const sharpen = cell.spans.find((s) => s.path === 'generate/decode.sharpen')!;
  expect(sharpen).toMatchObject({ presence: 'head-only', baseMs: 0, ratio: null, verdict: 'regression', onCriticalPath: true });
  expect(sharpen.headMs).toBeGreaterThanOrEqual(800);
  expect(causes(cell).map((c) => c.span.path)).toEqual(['generate/decode.sharpen']);
  expect(result.stdout).toMatch(/cause: new operation generate\/decode\.sharpen \+[\d.]+ m?s on critical path/);
});
