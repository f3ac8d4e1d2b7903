import { pbkdf2Sync } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { inFineSpan, inSpan } from '../span.mjs';
import { encodeText } from '../text-encoder.mjs';

/** Part of every key: entries written by another encoder version are never read back. */
const ENCODER_VERSION = 'text-encoder-v1';

/** Key stretching, so that cache file names cannot be matched against hashes of guessed prompts. */
const KEY_SALT = 'video-pipeline-cache';
const KEY_ITERATIONS = 300_000;

/**
 * Stage 2, span `cache.lookup`: the prompt's conditioning vector from a content-addressed cache on disk, keyed
 * by a hash of the encoder version, model, shot and normalized prompt. A miss runs the text encoder and stores
 * the result (read-through), so only the first run of a prompt pays for it.
 * @param {import('./preprocess.mjs').PreparedRequest} prepared
 * @param {string} cacheDir
 * @returns {Promise<{ conditioning: number[], hit: boolean }>}
 */
export function lookupConditioning(prepared, cacheDir) {
  return inSpan('cache.lookup', async (span) => {
    const key = cacheKey([ENCODER_VERSION, prepared.model, prepared.shot, prepared.normalizedPrompt]);
    const entryPath = join(cacheDir, key.slice(0, 2), `${key}.json`);
    const cached = await readEntry(entryPath, key);
    span.setAttribute('cache.hit', cached !== undefined);
    if (cached !== undefined) return { conditioning: cached, hit: true };
    const conditioning = await fillEntry(entryPath, key, prepared);
    return { conditioning, hit: false };
  });
}

/**
 * The cache key of a list of parts: hex PBKDF2-SHA-256 of the parts joined by NUL (which no part contains).
 * @param {readonly string[]} parts
 * @returns {string}
 */
export function cacheKey(parts) {
  return inFineSpan('cache.hash', () => pbkdf2Sync(parts.join('\u0000'), KEY_SALT, KEY_ITERATIONS, 32, 'sha256').toString('hex'));
}

/**
 * The cached vector at `entryPath`, or undefined when there is none or it is unreadable (a torn or foreign
 * file counts as a miss and is overwritten).
 * @param {string} entryPath
 * @param {string} key
 * @returns {Promise<number[] | undefined>}
 */
function readEntry(entryPath, key) {
  return inFineSpan('cache.read', async () => {
    let text;
    try {
      text = await readFile(entryPath, 'utf8');
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      const entry = JSON.parse(text);
      const valid = entry?.key === key && Array.isArray(entry.conditioning) && entry.conditioning.every(Number.isFinite);
      return valid ? entry.conditioning : undefined;
    } catch {
      return undefined;
    }
  });
}

/**
 * Runs the text encoder and stores its vector, written to a temporary name and renamed so that concurrent runs
 * never read a half-written entry.
 * @param {string} entryPath
 * @param {string} key
 * @param {import('./preprocess.mjs').PreparedRequest} prepared
 * @returns {Promise<number[]>}
 */
function fillEntry(entryPath, key, prepared) {
  return inFineSpan('cache.fill', async () => {
    const conditioning = encodeText(prepared.normalizedPrompt, prepared.tokens);
    await mkdir(join(entryPath, '..'), { recursive: true });
    const temporary = `${entryPath}.${process.pid}.tmp`;
    await writeFile(temporary, JSON.stringify({ key, conditioning }));
    await rename(temporary, entryPath);
    return conditioning;
  });
}
