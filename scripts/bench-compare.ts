// `npm run bench:compare`: time and peak RSS of `frametail compare` on generated results files of 10k,
// 100k and 2M runs per side (20 rounds per cell, so 500, 5,000 and 100,000 cells), each in a fresh child
// process so its peak RSS is its own, next to a plain streaming line reader over the same two files
// (node:readline, and readline + JSON.parse of every line). Also a 5 MB file of 1M junk lines (bounded
// warnings). Targets (issue 13): compare within 2× of a plain streaming line reader in time (the issue's
// figure for that reader, 7.8 s and 148 MB for one 2M-run file, is what readline + JSON.parse takes here:
// 6.9–7.4 s; readline alone takes 2.6–2.8 s, so both are printed), memory flat beyond what the statistics
// keep, linear in cells. compare is the bundled CLI (dist/cli/index.js) as users run it, with its worker
// thread for a large head file (results/read-pair.ts); CPU time counts both threads. Without a bundle it is
// the sources under tsx, whose kept function names make the statistics slower. Then the renderers on 5,000-cell reports (the report.json of the
// 100,000-run comparison, and the fixture `largeReport` with spans and waterfalls): time and size of the
// PR comment, job summary, check run output and HTML, next to JSON.stringify of the same report.
// BENCH_COMPARE_RUNS=10000,100000 limits the sizes (the 2M case writes ~700 MB of results).
import { execFile } from 'node:child_process';
import { closeSync, createReadStream, createWriteStream, existsSync, fsyncSync, mkdtempSync, openSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { largeReport } from '../fixtures/reports/build.js';
import { renderHtml } from '../src/report/html/render.js';
import { renderCheckOutput, renderComment, renderSummary } from '../src/report/markdown/comment.js';
import type { Report } from '../src/report/model.js';

const SIZES = (process.env.BENCH_COMPARE_RUNS ?? '10000,100000,2000000').split(',').map(Number);
const ROUNDS = 20;

interface Measured {
  seconds: number;
  /** User + system CPU time of the measured part: steadier than wall time on a loaded machine. */
  cpuSeconds: number;
  peakRssMiB: number;
  detail?: string;
}

/** Writes one side's results file: a header, then ROUNDS rounds over runs/ROUNDS cells, as the runner writes run lines. */
async function writeResults(file: string, side: 'base' | 'head', runs: number): Promise<void> {
  const cells = runs / ROUNDS;
  const out = createWriteStream(file);
  const write = (text: string) => (out.write(text) ? undefined : new Promise<void>((resolve) => out.once('drain', () => resolve())));
  await write(JSON.stringify({ type: 'header', schema: 'frametail.results/1', side, ref: side === 'base' ? 'main' : 'pr', sha: side === 'base' ? 'a'.repeat(40) : 'b'.repeat(40) }) + '\n');
  let seed = side === 'base' ? 1 : 2;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
  let chunk = '';
  for (let round = 1; round <= ROUNDS; round++) {
    for (let c = 0; c < cells; c++) {
      const input = `input-${Math.floor(c / 10)}`;
      const variant = `variant-${c % 10}`;
      // Every 7th cell is 20% slower on head: some regressions, most unchanged.
      // Rounded to the microsecond, as src/runner/matrix.ts writes latencies (unrounded, parsing and printing
      // 17-digit numbers would cost more than real files do).
      const latencyMs = Math.round(1000 * (1 + 0.1 * random()) * (side === 'head' && c % 7 === 0 ? 1.2 : 1) * 1000) / 1000;
      chunk +=
        JSON.stringify({
          type: 'run', id: `${side}-${input}-${variant}-r${round}`, side, input, variant, round, status: 'completed', latencyMs, wallMs: Math.round((latencyMs + 3) * 1000) / 1000,
          granularity: 'coarse', phase: 'measure', traceId: '0af7651916cd43dd8448eb211c80319c', exitCode: 0, error: null, startedAt: '2026-11-29T20:00:00.000Z',
        }) + '\n';
      if (chunk.length > 1 << 20) {
        await write(chunk);
        chunk = '';
      }
    }
  }
  await write(chunk);
  await new Promise<void>((resolve) => out.end(() => resolve()));
}

async function child(mode: string, files: string[]): Promise<void> {
  // Loading (and transpiling) the CLI's modules is not part of the figure: the bundle loads in ~0.1 s.
  const { main } = await import('../src/cli/cli.js');
  // As the bundled CLI does (src/cli/main.ts): a large head file is read in a worker thread, which runs this script.
  const { useResultsWorker } = await import('../src/results/read-pair.js');
  useResultsWorker(new URL('./results-worker.mjs', import.meta.url));
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  let detail = '';
  if (mode === 'compare') {
    const sink = { write: () => true };
    const io = { stdout: sink, stderr: { write: (t: string) => ((detail += t.length < 200 ? t : ''), true) }, cwd: process.cwd(), env: {} };
    const status = await main(['compare', files[0]!, files[1]!, '--format', 'json', '--out', files[2]!], io);
    detail = `exit ${status}; ${detail.trim().split('\n').slice(-2).join(' / ')}`;
  } else {
    let lines = 0;
    for (const file of files.slice(0, 2)) {
      for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
        lines++;
        if (mode === 'parse' && line) JSON.parse(line);
      }
    }
    detail = `${lines} lines`;
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  console.log(JSON.stringify({ seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: process.resourceUsage().maxRSS / 1024, detail }));
}

async function measure(mode: string, files: string[]): Promise<Measured> {
  if (mode === 'compare' && existsSync(BUNDLE)) return measureBundle(files);
  const script = fileURLToPath(import.meta.url);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', script, '--child', mode, ...files], { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
}

/** The CLI bundle users run (`npm run build` makes it; CI checks it is fresh). */
const BUNDLE = fileURLToPath(new URL('../dist/cli/index.js', import.meta.url));

/**
 * `frametail compare` as users run it: the bundled CLI in a plain node process (no tsx, whose kept function
 * names cost the per-cell closures a third more), its worker thread included. Timed from the import of the
 * bundle, so its loading (~0.2 s, `npm run bench:startup`) is part of the figure; it weighs on small files only.
 */
async function measureBundle(files: string[]): Promise<Measured> {
  const argv = [BUNDLE, 'compare', files[0], files[1], '--format', 'json', '--out', files[2]];
  const code = `
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    process.argv = [process.argv[0], ...${JSON.stringify(argv)}];
    let detail = '';
    process.stderr.write = (text) => ((detail += String(text).length < 200 ? String(text) : ''), true);
    await import(${JSON.stringify(new URL('../dist/cli/index.js', import.meta.url).href)});
    const cpu = process.cpuUsage(cpuStart);
    const lines = detail.trim().split('\\n').slice(-2).join(' / ');
    console.log(JSON.stringify({ seconds: (performance.now() - start) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMiB: process.resourceUsage().maxRSS / 1024, detail: 'bundled CLI, exit ' + (process.exitCode ?? 0) + '; ' + lines }));
    process.exitCode = 0;
  `;
  // A script file, not `node -e`: a worker thread inherits the process's options, `-e` among them.
  const script = join(dirname(files[2]!), `bundle-${Date.now()}.mjs`);
  writeFileSync(script, code);
  try {
    const { stdout } = await promisify(execFile)(process.execPath, [script], { maxBuffer: 1 << 24 });
    return JSON.parse(stdout.trim().split('\n').at(-1)!) as Measured;
  } finally {
    rmSync(script, { force: true });
  }
}

/** Median wall time of `runs` renderings (the first one included: a job renders each document once). */
function timed(render: () => string, runs = 3): { ms: number; chars: number } {
  const times: number[] = [];
  let chars = 0;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    chars = render().length;
    times.push(performance.now() - start);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(runs / 2)]!, chars };
}

/** Time and size of every rendering of `report`, with JSON.stringify of the same report as the yardstick. */
function renderFigures(label: string, report: Report): void {
  const options = { marker: '<!-- frametail:comment .github/frametail.yml -->', reproduce: 'npx frametail bench --config .github/frametail.yml' };
  console.log(`\nRendering ${label}: ${report.cells.length.toLocaleString('en')} cells, load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
  const json = timed(() => JSON.stringify(report));
  const rows: [string, { ms: number; chars: number }][] = [
    ['JSON.stringify (yardstick)', json],
    ['PR comment', timed(() => renderComment(report, options))],
    ['job summary', timed(() => renderSummary(report, options))],
    ['check run output', timed(() => { const o = renderCheckOutput(report, options); return o.title + o.summary + o.text; })],
    ['HTML report', timed(() => renderHtml(report))],
  ];
  for (const [name, m] of rows) {
    console.log(`  ${name.padEnd(28)} ${m.ms.toFixed(0).padStart(7)} ms ${(m.chars / 1024).toFixed(0).padStart(8)} KiB${name.startsWith('JSON') ? '' : `   ${(m.ms / json.ms).toFixed(2)}× JSON.stringify's time`}`);
  }
}

async function main(): Promise<void> {
  if (process.argv[2] === '--child') return child(process.argv[3]!, process.argv.slice(4));
  const dir = mkdtempSync(join(tmpdir(), 'frametail-bench-compare-'));
  const row = (label: string, m: Measured, reference?: Measured) =>
    console.log(
      `  ${label.padEnd(28)} ${m.seconds.toFixed(2).padStart(7)} s ${m.cpuSeconds.toFixed(2).padStart(7)} s CPU ${m.peakRssMiB.toFixed(0).padStart(6)} MiB` +
        (reference ? `   ${(m.seconds / reference.seconds).toFixed(2)}× the line reader's time (CPU ${(m.cpuSeconds / reference.cpuSeconds).toFixed(2)}×)` : '') +
        (m.detail ? `   (${m.detail})` : ''),
    );
  try {
    console.log(`frametail compare on generated results files (${ROUNDS} rounds per cell, both sides), each measurement in a fresh child process`);
    for (const runs of SIZES) {
      const base = join(dir, `base-${runs}.jsonl`);
      const head = join(dir, `head-${runs}.jsonl`);
      await writeResults(base, 'base', runs);
      await writeResults(head, 'head', runs);
      // Written to disk before anything is timed: writeback of 1.3 GB of dirty pages slowed whatever ran next.
      for (const file of [base, head]) {
        const fd = openSync(file, 'r');
        fsyncSync(fd);
        closeSync(fd);
      }
      const mib = (statSync(base).size + statSync(head).size) / 2 ** 20;
      console.log(`\n${runs.toLocaleString('en')} runs per side, ${(runs / ROUNDS).toLocaleString('en')} cells, ${mib.toFixed(0)} MiB in all`);
      const lines = await measure('lines', [base, head]);
      row('readline (lines only)', lines);
      const parsed = await measure('parse', [base, head]);
      row('readline + JSON.parse', parsed, lines);
      const compared = await measure('compare', [base, head, join(dir, `out-${runs}`)]);
      row('frametail compare', compared, lines);
      console.log(`  ${''.padEnd(28)} ${(compared.seconds / parsed.seconds).toFixed(2)}× readline + JSON.parse's time (CPU ${(compared.cpuSeconds / parsed.cpuSeconds).toFixed(2)}×)`);
      rmSync(base);
      rmSync(head);
    }
    const compared = join(dir, 'out-100000', 'report.json');
    const reports: [string, Report][] = [];
    if (existsSync(compared)) reports.push(['the 100,000-run comparison (report.json, no spans)', JSON.parse(readFileSync(compared, 'utf8')) as Report]);
    reports.push(['the fixture largeReport (715 regressions with spans and waterfalls)', largeReport()]);
    for (const [label, report] of reports) renderFigures(label, report);
    const junk = join(dir, 'junk.jsonl');
    const out = createWriteStream(junk);
    out.write(JSON.stringify({ type: 'run', id: 'r1', side: 'head', input: 'a', variant: 'b', round: 1, status: 'completed', latencyMs: 1 }) + '\n');
    out.write('junk\n'.repeat(1_000_000));
    await new Promise<void>((resolve) => out.end(() => resolve()));
    console.log(`\nA hostile file: 1 run line and 1,000,000 junk lines (${(statSync(junk).size / 2 ** 20).toFixed(1)} MiB) as both sides`);
    const measured = await measure('compare', [junk, junk, join(dir, 'out-junk')]);
    row('frametail compare', measured);
    console.log(`  report.json: ${(statSync(join(dir, 'out-junk', 'report.json')).size / 1024).toFixed(1)} KiB`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
