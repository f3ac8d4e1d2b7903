/**
 * `npm run bench:startup`: how long the bundled action takes before it reads its first input. The bundle
 * (a fresh ncc build of src/action/main.ts, as scripts/build.mjs makes dist/index.js) is started the way
 * the runner starts it, without the required `github-token` input, so it stops right after reading its
 * inputs; spawn to exit is the start-up. A bare `node -e ""` gives the floor. The artifact client
 * (@actions/artifact and its Azure storage code) is a separate chunk loaded only when something is
 * uploaded; the cost of importing it alone is printed to show what the lazy load keeps off the path.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bundleActionInto } from '../tests/fake-github/bundle.js';

const SAMPLES = 15;

function wallMs(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', () => resolve(Number(process.hrtime.bigint() - start) / 1e6));
  });
}

async function median(args: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) samples.push(await wallMs(args, env));
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

const work = mkdtempSync(join(tmpdir(), 'frametail-bench-startup-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const bundle = process.env.FRAMETAIL_E2E_BUNDLE ? resolve(process.env.FRAMETAIL_E2E_BUNDLE) : bundleActionInto(work);
const env = { PATH: process.env.PATH ?? '', GITHUB_ACTIONS: 'true' };
const chunks = readdirSync(dirname(bundle)).filter((f) => f.endsWith('.js') && f !== 'index.js');
const bare = await median(['-e', ''], env);
const action = await median([bundle], env);
console.log(`bundle: ${bundle} (${chunks.length} lazily loaded chunk(s): ${chunks.join(', ') || 'none'})`);
console.log(`bare node:                          ${bare.toFixed(0)} ms (median of ${SAMPLES})`);
console.log(`action to its first input (exit):   ${action.toFixed(0)} ms, ${(action / bare).toFixed(1)}× bare node`);
for (const chunk of chunks) {
  const url = pathToFileURL(join(dirname(bundle), chunk)).href;
  const loaded = await median(['--input-type=module', '-e', `await import(${JSON.stringify(url)})`], env);
  console.log(`importing ${chunk} alone:            ${(loaded - bare).toFixed(0)} ms beyond bare node (not on the start-up path)`);
}
