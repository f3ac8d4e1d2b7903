import { randomUUID } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { logNormalMs, seedFrom, uniformGenerator } from './seeded-random.mjs';

/**
 * Median of the simulated video-model call and the spread of its log latency (about ±25%): a hosted model's
 * time swings with the provider's load, which is why Frametail gates on the pipeline's own time.
 */
const MODEL_MEDIAN_MS = 150;
const MODEL_LOG_SIGMA = 0.25;

/**
 * @typedef {object} RunSettings
 * @property {number} modelLatencyMs how long the simulated remote model takes to answer this run
 * @property {boolean} injectFailure whether this run's model call fails (PIPELINE_FAIL_RATE)
 * @property {string} cacheDir where the conditioning cache lives
 * @property {string | undefined} outputDir FRAMETAIL_OUTPUT_DIR, or undefined for a fresh temporary folder
 */

/**
 * The settings of one run that come from the environment rather than the command line.
 *
 * Randomness is seeded from what Frametail tells the run (FRAMETAIL_SIDE, _ROUND, _INPUT, _VARIANT) plus the
 * prompt and shot, so a rerun of the same run draws the same model latency and the same injected failure;
 * outside Frametail, PIPELINE_SEED fixes it, else each run draws afresh. Injected failures leave the side out of
 * their seed: base and head fail on the same runs, so an unchanged pipeline keeps an unchanged success rate.
 * @param {NodeJS.ProcessEnv} env
 * @param {{ prompt: string, shot: string }} request
 * @returns {RunSettings}
 * @throws {Error} when PIPELINE_FAIL_RATE is set but not a number from 0 to 1
 */
export function runSettings(env, request) {
  const identity = env.FRAMETAIL_ROUND !== undefined
    ? [env.FRAMETAIL_ROUND, env.FRAMETAIL_INPUT ?? '', env.FRAMETAIL_VARIANT ?? '']
    : [env.PIPELINE_SEED ?? randomUUID()];
  const cell = [...identity, request.prompt, request.shot];
  const failRate = parseFailRate(env.PIPELINE_FAIL_RATE);
  return {
    modelLatencyMs: logNormalMs(uniformGenerator(seedFrom(['model-latency', env.FRAMETAIL_SIDE ?? '', ...cell])), MODEL_MEDIAN_MS, MODEL_LOG_SIGMA),
    injectFailure: failRate > 0 && uniformGenerator(seedFrom(['failure', ...cell]))() < failRate,
    cacheDir: env.PIPELINE_CACHE_DIR || join(tmpdir(), 'video-pipeline-cache'),
    outputDir: env.FRAMETAIL_OUTPUT_DIR || undefined,
  };
}

/**
 * @param {string | undefined} text
 * @returns {number} 0 when unset
 * @throws {Error} naming the variable when it is not a number from 0 to 1
 */
export function parseFailRate(text) {
  if (text === undefined || text.trim() === '') return 0;
  const rate = Number(text);
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new Error(`PIPELINE_FAIL_RATE="${text}" is not valid: expected a number from 0 to 1`);
  }
  return rate;
}
