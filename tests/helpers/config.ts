/** Builds configs for runner and CLI tests from a few overrides, through the real parser. */
import { stringify } from 'yaml';
import { parseConfig, type Config } from '../../src/config/parse.js';

export const FAKE_PIPELINE = new URL('./fake-pipeline.mjs', import.meta.url).pathname;

export interface TestConfigOptions {
  variants?: string[];
  inputs?: string[];
  command?: string[] | { shell: string };
  run?: Record<string, unknown>;
  tracing?: Record<string, unknown>;
  gate?: Record<string, unknown>;
}

/** The YAML text of a small experiment running the fake pipeline. */
export function testConfigYaml(options: TestConfigOptions = {}): string {
  return stringify({
    experiment: { name: 'Runner test', description: 'fake pipeline' },
    configuration: { model: 'fake-1', 'aspect-ratio': '16:9' },
    dimension: { name: 'Camera', variants: (options.variants ?? ['closeup', 'wide']).map((id) => ({ id, label: `Shot ${id}` })) },
    inputs: (options.inputs ?? ['pirouette']).map((id) => ({ id, prompt: `A dancer: ${id}` })),
    run: { command: options.command ?? ['node', FAKE_PIPELINE], warmup: 0, timeout: '10s', ...options.run },
    tracing: { granularity: 'coarse', ...options.tracing },
    gate: { looks: [2], ...options.gate },
  });
}

export function testConfig(options: TestConfigOptions = {}, file = 'frametail.yml'): Config {
  return parseConfig(testConfigYaml(options), file);
}
