import { uniformGenerator } from './seeded-random.mjs';

const FEATURES = 512;
const DIMENSIONS = 32;
const ENCODER_SEED = 0x76_69_64_31;

/** The encoder's fixed weights, FEATURES × DIMENSIONS, drawn once from a constant seed (a stand-in for a checkpoint). */
let weights;

/**
 * A toy text encoder: token ids and character trigrams are hashed into a signed bag of features, then one dense
 * layer with tanh turns them into the conditioning vector the video model is steered by. It stands for the
 * expensive text-encoder call that pipelines cache; it is deterministic and costs a few milliseconds.
 * @param {string} normalizedPrompt
 * @param {readonly number[]} tokens
 * @returns {number[]} DIMENSIONS values in (-1, 1)
 */
export function encodeText(normalizedPrompt, tokens) {
  const features = new Float64Array(FEATURES);
  for (const token of tokens) features[token % FEATURES] += 1;
  for (let i = 0; i + 3 <= normalizedPrompt.length; i++) {
    const hash = fnv1a(normalizedPrompt.slice(i, i + 3));
    features[hash % FEATURES] += hash & 0x8000_0000 ? -0.5 : 0.5;
  }
  const w = encoderWeights();
  const output = [];
  for (let d = 0; d < DIMENSIONS; d++) {
    let sum = 0;
    for (let f = 0; f < FEATURES; f++) sum += features[f] * w[f * DIMENSIONS + d];
    output.push(Math.tanh(sum));
  }
  return output;
}

/**
 * FNV-1a, 32 bits: a quick, well-spread hash of a short string (token ids and feature buckets).
 * @param {string} text
 * @returns {number} unsigned 32-bit
 */
export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** @returns {Float64Array} */
function encoderWeights() {
  if (weights === undefined) {
    const uniform = uniformGenerator(ENCODER_SEED);
    weights = new Float64Array(FEATURES * DIMENSIONS);
    for (let i = 0; i < weights.length; i++) weights[i] = (uniform() - 0.5) * 0.6;
  }
  return weights;
}
