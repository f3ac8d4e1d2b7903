/**
 * Runs the bundled action the way GitHub does: `node dist/index.js` with INPUT_* variables, an event
 * payload file, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and GITHUB_API_URL pointing at the fake API.
 *
 * The bundle is built with ncc (same flags as scripts/build.mjs) into a temporary directory, from a
 * copy of src/ whose tsconfig holds only the action's entry, so the build type-checks what the action
 * ships and nothing else. FRAMETAIL_E2E_BUNDLE=path/to/index.js runs an existing bundle instead (CI
 * sets it to dist/index.js after `npm run build`).
 */
import { execFile, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { scratchDir } from '../helpers/scratch.js';
import { bundleActionInto } from './bundle.js';

/** Path of the bundle to run: FRAMETAIL_E2E_BUNDLE, or a fresh ncc build of src/action/main.ts. */
export function buildActionBundle(): string {
  if (process.env.FRAMETAIL_E2E_BUNDLE) return resolve(process.env.FRAMETAIL_E2E_BUNDLE);
  return bundleActionInto(scratchDir('frametail-action-build-'));
}


export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
  /** `::warning::` and `::error::` workflow commands the action printed. */
  warnings: string[];
  errors: string[];
}

export interface ActionRunOptions {
  bundle: string;
  apiUrl: string;
  workspace: string;
  eventName: string;
  payload: unknown;
  sha: string;
  inputs: Record<string, string>;
  repository?: string;
  env?: Record<string, string>;
}

/** Runs the bundle once with a fresh temp dir for outputs, summary and RUNNER_TEMP. */
export async function runAction(options: ActionRunOptions): Promise<ActionRun> {
  return startAction(options).result;
}

export interface StartedAction {
  child: ChildProcess;
  /** RUNNER_TEMP of this run (the action's scratch space is RUNNER_TEMP/frametail). */
  temp: string;
  result: Promise<ActionRun>;
}

/** Starts the bundle and returns at once: for tests that signal the action while it runs. */
export function startAction(options: ActionRunOptions): StartedAction {
  const temp = scratchDir('frametail-action-run-');
  const eventPath = join(temp, 'event.json');
  const outputFile = join(temp, 'output.txt');
  const summaryFile = join(temp, 'summary.md');
  writeFileSync(eventPath, JSON.stringify(options.payload));
  writeFileSync(outputFile, '');
  writeFileSync(summaryFile, '');
  const inputs = Object.fromEntries(Object.entries(options.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v]));
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? temp,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_EVENT_NAME: options.eventName,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_REPOSITORY: options.repository ?? 'acme/studio',
    GITHUB_API_URL: options.apiUrl,
    GITHUB_SERVER_URL: 'https://github.example',
    GITHUB_SHA: options.sha,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_WORKSPACE: options.workspace,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_OUTPUT: outputFile,
    GITHUB_RUN_ID: '31337',
    RUNNER_TEMP: temp,
    FRAMETAIL_RETRY_BASE_MS: '5',
    ...inputs,
    ...options.env,
  };
  let child!: ChildProcess;
  const result = new Promise<ActionRun>((done) => {
    child = execFile(process.execPath, [options.bundle], { cwd: options.workspace, env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      const commands = (kind: string) => stdout.split('\n').filter((l) => l.startsWith(`::${kind}`)).map((l) => l.replace(/^::[a-z]+[^:]*::/, ''));
      done({ code, stdout, stderr, outputs: parseOutputFile(readFileSync(outputFile, 'utf8')), summary: readFileSync(summaryFile, 'utf8'), warnings: commands('warning'), errors: commands('error') });
    });
  });
  return { child, temp, result };
}

/** Parses GITHUB_OUTPUT's `name<<DELIMITER\nvalue\nDELIMITER` records. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (!match) continue;
    const [, name, delimiter] = match as unknown as [string, string, string];
    const value: string[] = [];
    while (++i < lines.length && lines[i] !== delimiter) value.push(lines[i]!);
    outputs[name] = value.join('\n');
  }
  return outputs;
}
