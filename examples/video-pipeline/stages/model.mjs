import { setTimeout as sleep } from 'node:timers/promises';
import { CAMERAS, drawDancerFrame } from '../scene/dancer.mjs';
import { lookFromConditioning } from '../scene/look.mjs';
import { inFineSpan, inSpan } from '../span.mjs';

const FRAME_COUNT = 24;
const FRAMES_PER_BATCH = 8;
const FRAME_DELAY_MS = 80;
/** What the stand-in provider charges: per second of video, plus per prompt token. */
const USD_PER_VIDEO_SECOND = 0.15;
const USD_PER_PROMPT_TOKEN = 0.000002;

/**
 * @typedef {object} Video
 * @property {number} width
 * @property {number} height
 * @property {number} frameDelayMs
 * @property {Uint8ClampedArray[]} frames RGBA pixels of each frame
 */

/**
 * Stage 3, span `model.generate`: asks the video model for the clip, then renders its frames. The remote call is
 * simulated by a wait of `settings.modelLatencyMs` (network and queueing time); the frames are real CPU work —
 * the dancer turning, framed by the shot's camera at the request's aspect ratio.
 * @param {import('./preprocess.mjs').PreparedRequest} prepared
 * @param {readonly number[]} conditioning
 * @param {import('../run-settings.mjs').RunSettings} settings
 * @returns {Promise<Video>}
 */
export function generateVideo(prepared, conditioning, settings) {
  const attributes = { 'gen_ai.request.model': prepared.model, 'video.frame_count': FRAME_COUNT };
  return inSpan('model.generate', async () => {
    await callModel(prepared, settings);
    const look = lookFromConditioning(conditioning);
    const camera = /** @type {import('../scene/dancer.mjs').Camera} */ (CAMERAS[prepared.shot]);
    const frames = [];
    for (let first = 0; first < FRAME_COUNT; first += FRAMES_PER_BATCH) {
      frames.push(...drawBatch(first, Math.min(FRAME_COUNT, first + FRAMES_PER_BATCH), { ...prepared, camera, look }));
    }
    return { width: prepared.width, height: prepared.height, frameDelayMs: FRAME_DELAY_MS, frames };
  }, attributes);
}

/**
 * The model call, span `model.request` (at every granularity): waits as long as the remote model would, and
 * fails when this run is chosen to fail. Its OpenTelemetry GenAI attributes mark it as model time, so
 * Frametail splits each run's latency into the model's time and the pipeline's own; `video.cost_usd` is
 * what the call would cost (a metric in .github/frametail.yml).
 * @param {import('./preprocess.mjs').PreparedRequest} prepared
 * @param {import('../run-settings.mjs').RunSettings} settings
 * @returns {Promise<void>}
 * @throws {Error} on an injected failure
 */
function callModel(prepared, settings) {
  const promptTokens = prepared.tokens.length;
  const videoSeconds = (FRAME_COUNT * FRAME_DELAY_MS) / 1000;
  const attributes = {
    'gen_ai.operation.name': 'generate_content',
    'gen_ai.provider.name': 'stand-in',
    'gen_ai.request.model': prepared.model,
    'gen_ai.usage.input_tokens': promptTokens,
    'video.cost_usd': Math.round((videoSeconds * USD_PER_VIDEO_SECOND + promptTokens * USD_PER_PROMPT_TOKEN) * 1e6) / 1e6,
  };
  return inSpan('model.request', async () => {
    await sleep(settings.modelLatencyMs);
    if (settings.injectFailure) {
      throw new Error(`video model ${prepared.model} answered 503 Service Unavailable (failure injected by PIPELINE_FAIL_RATE)`);
    }
  }, attributes);
}

/**
 * Frames `first` up to (not including) `end`, one `frame.draw` span per batch at fine granularity.
 * @param {number} first
 * @param {number} end
 * @param {{ width: number, height: number, camera: import('../scene/dancer.mjs').Camera, look: import('../scene/dancer.mjs').Look }} scene
 * @returns {Uint8ClampedArray[]}
 */
function drawBatch(first, end, scene) {
  return inFineSpan('frame.draw', () => {
    const frames = [];
    for (let index = first; index < end; index++) {
      frames.push(drawDancerFrame({ index, count: FRAME_COUNT, ...scene }).pixels);
    }
    return frames;
  }, { 'frame.first': first, 'frame.count': end - first });
}
