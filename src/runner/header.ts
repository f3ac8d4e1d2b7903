/**
 * The header line of a results file (DESIGN §7): which side and commit, the pinned experiment, and
 * the machine it ran on, so a comparison across machines can be noticed.
 */
import { createHash } from 'node:crypto';
import { arch, cpus, platform, release, totalmem } from 'node:os';
import type { Config } from '../config/parse.js';
import { RESULTS_SCHEMA, type HeaderLine, type Side } from '../results/format.js';

/** Kept equal to package.json's version by a test. */
export const FRAMETAIL_VERSION = '0.1.0';

/** The machine a side ran on, without the hostname; `fingerprint` is equal on equal hardware and Node. */
export function machineEnv(): Record<string, unknown> {
  const cpuList = cpus();
  const facts = {
    node: process.version,
    os: `${platform()} ${release()}`,
    arch: arch(),
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
  };
  const fingerprint = createHash('sha256').update(JSON.stringify([facts.node, platform(), facts.arch, facts.cpus, facts.cpuModel, facts.memoryGiB])).digest('hex').slice(0, 12);
  return { ...facts, frametail: FRAMETAIL_VERSION, fingerprint };
}

/** The experiment as results files and reports show it. */
export function experimentOf(config: Config): Record<string, unknown> {
  return {
    id: config.experiment.id,
    name: config.experiment.name,
    description: config.experiment.description,
    configuration: config.configuration,
    dimension: config.dimension,
    inputs: config.inputs.map((input) => ({ id: input.id, prompt: input.prompt, ...(Object.keys(input.fields).length ? { fields: input.fields } : {}) })),
    configFile: config.source.file,
  };
}

export function resultsHeader(options: { side: Side; ref: string | null; sha: string | null; config: Config; env: Record<string, unknown>; now: Date }): HeaderLine {
  return {
    type: 'header',
    schema: RESULTS_SCHEMA,
    side: options.side,
    ref: options.ref,
    sha: options.sha,
    experiment: experimentOf(options.config),
    env: options.env,
    startedAt: options.now.toISOString(),
  };
}
