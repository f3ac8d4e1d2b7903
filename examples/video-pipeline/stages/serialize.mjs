import { createHash } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inFineSpan, inSpan } from '../span.mjs';

/**
 * @typedef {object} Metadata what is known about a written video, saved beside it as JSON
 * @property {string} prompt
 * @property {string} normalizedPrompt
 * @property {string} shot
 * @property {string} model
 * @property {string} aspectRatio
 * @property {number} width
 * @property {number} height
 * @property {number} frameCount
 * @property {number} frameDelayMs
 * @property {number} bytes size of the video file
 * @property {string} sha256 of the video file
 * @property {boolean} cacheHit whether the conditioning came from the cache
 */

/**
 * Stage 5, span `serialize`: writes the GIF and its metadata JSON into `outputDir`, or into one fixed folder
 * under the system's temporary directory when none is given (never into the repository). The file names come
 * from the prompt and shot, so a benchmark's hundreds of runs overwrite one file per cell instead of leaving a
 * folder per run behind.
 * @param {{ prepared: import('./preprocess.mjs').PreparedRequest, video: import('./model.mjs').Video, gif: Uint8Array, cacheHit: boolean }} result
 * @param {string | undefined} outputDir
 * @returns {Promise<{ videoPath: string, metadataPath: string, metadata: Metadata }>}
 */
export function serializeVideo({ prepared, video, gif, cacheHit }, outputDir) {
  return inSpan('serialize', async (span) => {
    const directory = outputDir ?? join(tmpdir(), 'video-pipeline-output');
    await mkdir(directory, { recursive: true });
    const baseName = `${slug(prepared.normalizedPrompt)}-${prepared.shot}`;
    const videoPath = join(directory, `${baseName}.gif`);
    await writeVideo(videoPath, gif);
    /** @type {Metadata} */
    const metadata = {
      prompt: prepared.prompt,
      normalizedPrompt: prepared.normalizedPrompt,
      shot: prepared.shot,
      model: prepared.model,
      aspectRatio: prepared.aspectRatio,
      width: video.width,
      height: video.height,
      frameCount: video.frames.length,
      frameDelayMs: video.frameDelayMs,
      bytes: gif.length,
      sha256: createHash('sha256').update(gif).digest('hex'),
      cacheHit,
    };
    const metadataPath = join(directory, `${baseName}.json`);
    await writeMetadata(metadataPath, metadata);
    span.setAttribute('video.bytes', gif.length);
    return { videoPath, metadataPath, metadata };
  });
}

/**
 * A file-name-safe stem from a prompt: its first words, ASCII letters and digits joined by "-".
 * @param {string} normalizedPrompt
 * @returns {string} at most 48 characters, "video" when nothing usable is left
 */
export function slug(normalizedPrompt) {
  const words = normalizedPrompt.normalize('NFKD').replace(/[^a-z0-9]+/g, ' ').trim().split(' ');
  return words.join('-').slice(0, 48).replace(/-+$/, '') || 'video';
}

/**
 * @param {string} path
 * @param {Uint8Array} gif
 * @returns {Promise<void>}
 */
function writeVideo(path, gif) {
  return inFineSpan('serialize.video', () => writeAtomically(path, gif));
}

/**
 * @param {string} path
 * @param {Metadata} metadata
 * @returns {Promise<void>}
 */
function writeMetadata(path, metadata) {
  return inFineSpan('serialize.metadata', () => writeAtomically(path, `${JSON.stringify(metadata, null, 2)}\n`));
}

/**
 * Writes through a temporary file and a rename, so runs of the same cell that finish together never leave a
 * torn file for a reader.
 * @param {string} path
 * @param {string | Uint8Array} data
 * @returns {Promise<void>}
 */
async function writeAtomically(path, data) {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, data);
  await rename(temporary, path);
}
