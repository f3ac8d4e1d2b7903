import { parseArgs } from 'node:util';

export const USAGE = 'usage: node examples/video-pipeline/pipeline.mjs --prompt TEXT --shot closeup|wide|low-angle [--aspect-ratio 16:9] [--model veo-3.1-fast]';

/**
 * The request on the command line. Only the shape is checked here (known options, a prompt and a shot given);
 * the values are checked by the preprocess stage, inside the trace, so a bad value shows up as a failed span.
 * @param {readonly string[]} argv the arguments after the script name
 * @returns {import('./stages/preprocess.mjs').VideoRequest}
 * @throws {Error} with USAGE appended when an option is unknown, repeated without value, or missing
 */
export function parseCliArgs(argv) {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        prompt: { type: 'string' },
        shot: { type: 'string' },
        'aspect-ratio': { type: 'string', default: '16:9' },
        model: { type: 'string', default: 'veo-3.1-fast' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new Error(`${/** @type {Error} */ (error).message}\n${USAGE}`);
  }
  for (const required of /** @type {const} */ (['prompt', 'shot'])) {
    if (values[required] === undefined) throw new Error(`--${required} is required\n${USAGE}`);
  }
  return {
    prompt: /** @type {string} */ (values.prompt),
    shot: /** @type {string} */ (values.shot),
    aspectRatio: /** @type {string} */ (values['aspect-ratio']),
    model: /** @type {string} */ (values.model),
  };
}
