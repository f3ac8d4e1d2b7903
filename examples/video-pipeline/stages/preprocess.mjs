import { CAMERAS } from '../scene/dancer.mjs';
import { inFineSpan, inSpan } from '../span.mjs';
import { fnv1a } from '../text-encoder.mjs';

/** Pixels in one frame, whatever the aspect ratio: 16:9 gives 160×90. Small, so a run stays fast. */
const FRAME_AREA = 160 * 90;
const VOCABULARY = 32_000;

/**
 * @typedef {object} VideoRequest what the command line asked for, not yet checked
 * @property {string} prompt
 * @property {string} shot
 * @property {string} aspectRatio "W:H"
 * @property {string} model
 * @typedef {object} PreparedRequest a checked request with its prompt normalized and tokenized
 * @property {string} prompt
 * @property {string} normalizedPrompt
 * @property {number[]} tokens
 * @property {string} shot one of the keys of CAMERAS
 * @property {string} aspectRatio
 * @property {string} model
 * @property {number} width pixels
 * @property {number} height pixels
 */

/**
 * Stage 1, span `preprocess`: checks the request (shot, aspect ratio, model), then normalizes and tokenizes the
 * prompt so that prompts differing only in case, spacing or Unicode form share a cache entry.
 * @param {VideoRequest} request
 * @returns {PreparedRequest}
 * @throws {Error} naming the option when the shot, aspect ratio or model is not valid
 */
export function preprocess(request) {
  return inSpan('preprocess', () => {
    const { width, height } = frameSize(request.aspectRatio);
    checkShot(request.shot);
    checkModel(request.model);
    const normalizedPrompt = normalizePrompt(request.prompt);
    const tokens = tokenize(normalizedPrompt);
    return { ...request, normalizedPrompt, tokens, width, height };
  });
}

/**
 * The frame size for an aspect ratio "W:H": about FRAME_AREA pixels with that ratio (16:9 → 160×90,
 * 9:16 → 90×160, 1:1 → 120×120).
 * @param {string} aspectRatio
 * @returns {{ width: number, height: number }}
 * @throws {Error} when it is not two positive whole numbers between 1 and 64 separated by ":"
 */
export function frameSize(aspectRatio) {
  const match = /^(\d{1,2}):(\d{1,2})$/.exec(aspectRatio);
  const across = Number(match?.[1]);
  const down = Number(match?.[2]);
  if (!match || across < 1 || down < 1 || across > 64 || down > 64) {
    throw new Error(`--aspect-ratio "${aspectRatio}" is not valid: expected W:H such as 16:9, 9:16 or 1:1`);
  }
  const width = Math.max(1, Math.round(Math.sqrt((FRAME_AREA * across) / down)));
  return { width, height: Math.max(1, Math.round((width * down) / across)) };
}

/**
 * Lower case, Unicode NFKC, typographic quotes and dashes made plain, runs of white space collapsed.
 * @param {string} prompt
 * @returns {string}
 * @throws {Error} when nothing is left
 */
export function normalizePrompt(prompt) {
  return inFineSpan('preprocess.normalize', () => {
    const normalized = prompt
      .normalize('NFKC')
      .toLowerCase()
      .replace(/[\u2018\u2019]/g, "'")
      .replace(/[\u201c\u201d]/g, '"')
      .replace(/[\u2013\u2014]/g, '-')
      .replace(/\s+/g, ' ')
      .trim();
    if (normalized === '') throw new Error('--prompt is empty');
    return normalized;
  });
}

/**
 * Token ids of a normalized prompt: words and punctuation, long words split into pieces of at most four
 * characters (a crude sub-word split), each hashed into a fixed vocabulary.
 * @param {string} normalizedPrompt
 * @returns {number[]}
 */
export function tokenize(normalizedPrompt) {
  return inFineSpan('preprocess.tokenize', (span) => {
    const tokens = [];
    for (const word of normalizedPrompt.match(/[\p{L}\p{N}']+|[^\s\p{L}\p{N}]/gu) ?? []) {
      for (let start = 0; start < word.length; start += 4) {
        const piece = start === 0 ? word.slice(0, 4) : `##${word.slice(start, start + 4)}`;
        tokens.push(fnv1a(piece) % VOCABULARY);
      }
    }
    span?.setAttribute('prompt.token_count', tokens.length);
    return tokens;
  });
}

/**
 * @param {string} shot
 * @throws {Error} when the shot is not one the camera knows
 */
function checkShot(shot) {
  if (!Object.hasOwn(CAMERAS, shot)) {
    throw new Error(`--shot "${shot}" is not known: expected one of ${Object.keys(CAMERAS).join(', ')}`);
  }
}

/**
 * @param {string} model
 * @throws {Error} when the model name is empty or has characters a model id never has
 */
function checkModel(model) {
  if (!/^[a-z0-9][a-z0-9._-]{0,63}$/i.test(model)) {
    throw new Error(`--model "${model}" is not valid: expected a model id such as veo-3.1-fast`);
  }
}
