import { reportMetrics } from './metrics.mjs';
import { runSettings } from './run-settings.mjs';
import { inSpan } from './span.mjs';
import { lookupConditioning } from './stages/cache.mjs';
import { encodeGif } from './stages/encode.mjs';
import { generateVideo } from './stages/model.mjs';
import { preprocess } from './stages/preprocess.mjs';
import { serializeVideo } from './stages/serialize.mjs';

/**
 * One text-to-video run, traced as the root span `generate` with one child span per stage:
 * preprocess → cache.lookup → model.generate (with the model call, model.request, inside) → encode → serialize.
 * Reports the video's size as the metric `output-size` (FRAMETAIL_METRICS_FILE).
 * @param {import('./stages/preprocess.mjs').VideoRequest} request
 * @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ videoPath: string, metadataPath: string }>}
 * @throws {Error} from the stage that failed, after its span and the root span are marked as errors
 */
export function generate(request, env) {
  const attributes = { 'video.shot': request.shot, 'video.aspect_ratio': request.aspectRatio, 'gen_ai.request.model': request.model };
  return inSpan('generate', async () => {
    const settings = runSettings(env, request);
    const prepared = preprocess(request);
    const { conditioning, hit } = await lookupConditioning(prepared, settings.cacheDir);
    const video = await generateVideo(prepared, conditioning, settings);
    const gif = encodeGif(video);
    const { videoPath, metadataPath } = await serializeVideo({ prepared, video, gif, cacheHit: hit }, settings.outputDir);
    await reportMetrics(env, [{ name: 'output-size', value: gif.length, unit: 'B' }]);
    return { videoPath, metadataPath };
  }, attributes);
}
