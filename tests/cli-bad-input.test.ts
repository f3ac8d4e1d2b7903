import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { testConfigYaml } from './helpers/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-cli-bad-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A fresh working directory holding frametail.yml with `yaml`. */
async function workdir(name: string, yaml?: string): Promise<string> {
  const cwd = join(dir, name);
  await mkdir(cwd, { recursive: true });
  if (yaml !== undefined) await writeFile(join(cwd, 'frametail.yml'), yaml);
  return cwd;
}

/** Exit 2, a single-line-led message on stderr, and no results file claiming anything. */
function expectBadInput(result: { code: number | null; stderr: string }, message: RegExp, cwd: string) {
  expect(result.code).toBe(2);
  expect(result.stderr).toMatch(message);
  expect(result.stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
  expect(existsSync(join(cwd, 'out', 'results.jsonl'))).toBe(false);
}

describe('bad input exits 2 with one clear message', () => {
  it('no config file', async () => {
    const cwd = await workdir('none');
    const result = await runCli(['run', '--out', 'out'], { cwd });
    expectBadInput(result, /^frametail: \.github\/frametail\.yml: no such file \(pass --config FILE/, cwd);
  });

  it('invalid config names file, line and field', async () => {
    const cwd = await workdir('invalid', testConfigYaml().replace('warmup: 0', 'warmup: -1'));
    const result = await runCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd });
    expectBadInput(result, /^frametail: frametail\.yml:\d+: run\.warmup: /, cwd);
  });

  it('unknown placeholder names the line of run.command', async () => {
    const cwd = await workdir('placeholder', testConfigYaml({ command: ['node', 'x.mjs', '{input.promt}'] }));
    const result = await runCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd });
    expectBadInput(result, /^frametail: frametail\.yml:\d+: run\.command: unknown placeholder \{input\.promt\}/, cwd);
  });

  it('a command that does not exist, before any run', async () => {
    const cwd = await workdir('missing-program', testConfigYaml({ command: ['frametail-no-such-renderer', '{input.prompt}'] }));
    const result = await runCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd });
    expectBadInput(result, /run\.command: command not found: "frametail-no-such-renderer" \(looked on PATH\)/, cwd);
  });

  it('bench outside a git repository', async () => {
    const cwd = await workdir('not-git', testConfigYaml());
    const result = await runCli(['bench', '--config', 'frametail.yml', '--base', 'main', '--out', 'out'], { cwd });
    expectBadInput(result, /is not inside a git repository/, cwd);
  });

  it('unknown flags, verbs and values', async () => {
    const cwd = await workdir('usage', testConfigYaml());
    expectBadInput(await runCli(['run', '--sid', 'head'], { cwd }), /run: Unknown option '--sid'[\s\S]*usage: frametail run/, cwd);
    expectBadInput(await runCli(['frobnicate'], { cwd }), /unknown command "frobnicate"/, cwd);
    expectBadInput(await runCli(['run', '--side', 'left', '--config', 'frametail.yml'], { cwd }), /--side: expected base or head/, cwd);
  });
});

describe('schema', () => {
  it('prints the JSON Schema of the config file', async () => {
    const result = await runCli(['schema'], { cwd: dir });
    expect(result.code).toBe(0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(expect.arrayContaining(['experiment', 'dimension', 'inputs', 'run', 'gate']));
  });
});
