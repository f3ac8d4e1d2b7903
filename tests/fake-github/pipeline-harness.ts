/**
 * Runs the action's pipeline (src/action/pipeline.ts) in-process against the fake GitHub API, with the
 * environment GitHub would give it: an event payload file, a job summary file and a results uploader.
 * Faster than the bundled action (no ncc build, no child process); warnings are collected, not printed.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readEventContext } from '../../src/action/event.js';
import { parseInputs, readRawInputs } from '../../src/action/inputs.js';
import { runPipeline, type ActionOutputs } from '../../src/action/pipeline.js';
import { createClient } from '../../src/github/client.js';
import type { ResultsUploader } from '../../src/github/upload.js';
import { scratchDir } from '../helpers/scratch.js';
import type { FakeGitHub } from './server.js';

export interface PipelineRun {
  outputs: ActionOutputs;
  warnings: string[];
  summary: string;
}

export interface PipelineScenario {
  inputs: Record<string, string>;
  eventName: string;
  payload: unknown;
  workspace: string;
  /** GITHUB_SHA. */
  sha: string;
  uploader: ResultsUploader;
}

/** One pipeline run with fresh summary and output folders; `summary` is what it wrote to the job summary. */
export async function runPipelineAgainst(github: FakeGitHub, scenario: PipelineScenario): Promise<PipelineRun> {
  const temp = scratchDir('ft-pipeline-');
  const eventPath = join(temp, 'event.json');
  writeFileSync(eventPath, JSON.stringify(scenario.payload));
  const summaryFile = join(temp, 'summary.md');
  writeFileSync(summaryFile, '');
  const env = { GITHUB_REPOSITORY: 'acme/studio', GITHUB_EVENT_NAME: scenario.eventName, GITHUB_EVENT_PATH: eventPath, GITHUB_SHA: scenario.sha, GITHUB_WORKSPACE: scenario.workspace, GITHUB_API_URL: github.url, GITHUB_RUN_ID: '555' };
  const parsed = parseInputs(readRawInputs((name) => scenario.inputs[name] ?? ''));
  const warnings: string[] = [];
  const client = createClient(parsed['github-token'], { baseUrl: github.url, retryAfterBaseMs: 1, warn: (m) => warnings.push(m) });
  const outputs = await runPipeline(parsed, readEventContext(env), { client, token: parsed['github-token'], uploader: scenario.uploader, summaryFile, outDir: join(temp, 'out'), log: () => {}, warn: (m) => warnings.push(m) });
  return { outputs, warnings, summary: readFileSync(summaryFile, 'utf8') };
}
