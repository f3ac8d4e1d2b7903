import { appendFile } from 'node:fs/promises';

/**
 * Reports metric values to Frametail: one JSON line `{"name", "value", "unit"}` each, appended to the file
 * named by FRAMETAIL_METRICS_FILE. Outside Frametail (the variable unset) it does nothing.
 * @param {NodeJS.ProcessEnv} env
 * @param {{ name: string, value: number, unit: string }[]} metrics
 * @returns {Promise<void>}
 */
export async function reportMetrics(env, metrics) {
  const file = env.FRAMETAIL_METRICS_FILE;
  if (!file) return;
  await appendFile(file, metrics.map((metric) => `${JSON.stringify(metric)}\n`).join(''));
}
