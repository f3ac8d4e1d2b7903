/** Input problems say what is wrong and where, never "internal error", and stderr carries no escape sequences. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { testConfigYaml } from './helpers/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-messages-'));
  await mkdir(join(dir, 'files'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const header = (side: string) => JSON.stringify({ type: 'header', schema: 'frametail.results/1', side, ref: 'main', sha: 'abc' });
const run = (side: string, round: number, latencyMs: number) =>
  JSON.stringify({ type: 'run', id: `${side}-${round}`, side, input: 'pirouette', variant: 'wide', round, status: 'completed', latencyMs });
const sideFile = (side: string, ms: number) => [header(side), ...[1, 2, 3, 4, 5].map((r) => run(side, r, ms + r))].join('\n') + '\n';

async function file(name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, 'files', name);
  await writeFile(path, text);
  return path;
}

function expectNoInternalError(stderr: string) {
  expect(stderr).not.toMatch(/internal error|at .*\.ts:\d+/);
}

describe('compare: wrong or empty sides', () => {
  it('a header-only head file exits 2 with a message, not 0', async () => {
    const result = await runCli(['compare', await file('base.jsonl', sideFile('base', 100)), await file('head-only.jsonl', header('head') + '\n')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/head-only\.jsonl: the head file holds a header but no run line: nothing to compare/);
    expectNoInternalError(result.stderr);
  });

  it('an empty head file exits 2 with a message', async () => {
    const result = await runCli(['compare', await file('base2.jsonl', sideFile('base', 100)), await file('empty.jsonl', '')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/empty\.jsonl: the head file holds no run line/);
  });

  it('a base file passed as HEAD gets a warning', async () => {
    const base = await file('b.jsonl', sideFile('base', 100));
    const alsoBase = await file('b2.jsonl', sideFile('base', 100).replaceAll('base-', 'other-'));
    const result = await runCli(['compare', alsoBase, base], { cwd: dir });
    expect(result.stderr).toMatch(/warning: .*b\.jsonl: this file holds the base side \(its header says side "base"\), but it was passed as HEAD; did you swap BASE and HEAD\?/);
  });
});

describe('stderr is scrubbed of terminal escape sequences', () => {
  it('warnings quoting a hostile results line', async () => {
    // JSON escapes in the file become real ESC characters once parsed; the duplicate-id warning quotes the id.
    const evil = JSON.stringify({ type: 'run', id: '\u001b]0;pwned\u0007\u001b[2J', side: 'head', input: 'pirouette', variant: 'wide', status: 'failed' });
    const hostile = sideFile('head', 200) + evil + '\n' + evil + '\n';
    const result = await runCli(['compare', await file('base3.jsonl', sideFile('base', 100)), await file('hostile.jsonl', hostile)], { cwd: dir });
    expect(result.stderr).toMatch(/warning: .*hostile\.jsonl:8: id: run ".*pwned.*" already appeared on line 7/);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('an error quoting a hostile file name', async () => {
    const result = await runCli(['compare', await file('base4.jsonl', sideFile('base', 100)), join(dir, '\u001b[2J\u001b]0;evil\u0007.jsonl')], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/evil.*: no such results file/);
    // eslint-disable-next-line no-control-regex
    expect(result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('warnings are capped on stderr with one line counting the rest', async () => {
    const result = await runCli(['compare', await file('base5.jsonl', sideFile('base', 100)), await file('junk.jsonl', sideFile('head', 200) + 'junk\n'.repeat(5000))], { cwd: dir });
    const warnings = result.stderr.split('\n').filter((l) => l.startsWith('warning: '));
    expect(warnings).toHaveLength(101);
    expect(warnings.at(-1)).toBe('warning: 4900 more warnings not shown');
  });
});

describe('config problems are config errors', () => {
  it('invalid UTF-8 names the file and line', async () => {
    const cwd = join(dir, 'utf8');
    await mkdir(cwd);
    const yaml = testConfigYaml().replace('name: Runner test', 'name: Caf\u00e9');
    await writeFile(join(cwd, 'frametail.yml'), Buffer.from(yaml.replace('Caf\u00e9', 'Caf\u0000'), 'utf8').map((byte) => (byte === 0 ? 0xe9 : byte)));
    const result = await runCli(['run', '--config', 'frametail.yml', '--out', 'out'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^frametail: frametail\.yml:\d+: not valid UTF-8/);
  });

  it('a YAML alias bomb is a config error, not an internal error', async () => {
    const cwd = join(dir, 'bomb');
    await mkdir(cwd);
    const lines = ['a: &a [x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++) lines.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(9).fill(`*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    await writeFile(join(cwd, 'frametail.yml'), lines.join('\n') + '\n');
    const result = await runCli(['run', '--config', 'frametail.yml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^frametail: frametail\.yml:1: invalid YAML: too many aliases/);
    expectNoInternalError(result.stderr);
  });

  it('--rounds is bounded like gate.looks', async () => {
    const cwd = join(dir, 'rounds');
    await mkdir(cwd);
    await writeFile(join(cwd, 'frametail.yml'), testConfigYaml());
    const result = await runCli(['run', '--config', 'frametail.yml', '--rounds', '1000000000'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^frametail: --rounds: at most 10000, got 1000000000/);
  });

  it('concurrency: 1.5 says it must be a whole number', async () => {
    const cwd = join(dir, 'concurrency');
    await mkdir(cwd);
    await writeFile(join(cwd, 'frametail.yml'), testConfigYaml({ run: { concurrency: 1.5 } as never }));
    const result = await runCli(['run', '--config', 'frametail.yml'], { cwd });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^frametail: frametail\.yml:\d+: run\.concurrency: must be a whole number/);
  });
});
