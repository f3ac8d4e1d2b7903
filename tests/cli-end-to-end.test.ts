import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { footerLineSchema, headerLineSchema, runLineSchema, spanLineSchema } from '../src/results/format.js';
import { runCli } from './helpers/cli.js';
import { FAKE_PIPELINE, testConfigYaml } from './helpers/config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'frametail-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const SCHEMAS = { header: headerLineSchema, run: runLineSchema, span: spanLineSchema, footer: footerLineSchema };

it('runs a pipeline that exports OTLP to the built-in receiver; every results line validates; compare reads the files', async () => {
  await writeFile(join(dir, 'frametail.yml'), testConfigYaml({ command: ['node', FAKE_PIPELINE, '--otlp', '--sleep', '10'], tracing: { granularity: 'fine' }, gate: { looks: [3] } }));
  for (const side of ['base', 'head']) {
    const result = await runCli(['run', '--config', 'frametail.yml', '--side', side, '--out', side], { cwd: dir });
    expect(result.stderr).toMatch(/6 runs recorded/);
    expect(result.code).toBe(0);
  }
  const lines = readFileSync(join(dir, 'head/results.jsonl'), 'utf8').trimEnd().split('\n').map((text) => JSON.parse(text) as { type: keyof typeof SCHEMAS });
  for (const line of lines) SCHEMAS[line.type].parse(line);
  expect(lines[0]!.type).toBe('header');
  expect(lines.at(-1)).toMatchObject({ type: 'footer', complete: true, runs: 6 });
  const runs = lines.filter((l) => l.type === 'run').map((l) => runLineSchema.parse(l));
  const spans = lines.filter((l) => l.type === 'span').map((l) => spanLineSchema.parse(l));
  expect(runs.every((r) => r.status === 'completed' && r.granularity === 'fine')).toBe(true);
  // Each run's two spans arrived over OTLP, carry its trace id, and follow its run line.
  for (const run of runs) {
    const own = spans.filter((s) => s.run === run.id);
    expect(own.map((s) => s.name).sort()).toEqual(['generate', 'render']);
    expect(own.every((s) => s.traceId === run.traceId)).toBe(true);
    const at = lines.findIndex((l) => l.type === 'run' && (l as { id?: string }).id === run.id);
    expect(lines.slice(at + 1, at + 3).every((l) => l.type === 'span')).toBe(true);
    // latency = the root span (the ~10 ms of work), wall time includes Node's start-up
    expect(run.latencyMs!).toBeLessThan(run.wallMs!);
  }

  const json = await runCli(['compare', 'base/results.jsonl', 'head/results.jsonl', '--format', 'json'], { cwd: dir });
  expect([0, 1]).toContain(json.code);
  const report = JSON.parse(json.stdout) as { schema: string; cells: { input: string; variant: string; base: { runs: number } }[] };
  expect(report.schema).toBe('frametail.report/1');
  expect(report.cells.map((c) => `${c.input}/${c.variant}:${c.base.runs}`)).toEqual(['pirouette/closeup:3', 'pirouette/wide:3']);

  const md = await runCli(['compare', 'base/results.jsonl', 'head/results.jsonl', '--format', 'md', '--out', 'report'], { cwd: dir });
  expect(md.stderr).toMatch(/report written to report\/report\.md/);
  expect(readFileSync(join(dir, 'report/report.md'), 'utf8')).toMatch(/<!-- frametail:exp_[0-9a-f]{12} -->/);
});
