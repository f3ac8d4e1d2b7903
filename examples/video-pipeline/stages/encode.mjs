import gifenc from 'gifenc';
import { inFineSpan, inSpan } from '../span.mjs';

// gifenc ships CommonJS whose exports Node cannot name statically, so take them from the default export.
const { GIFEncoder, applyPalette, quantize } = gifenc;

/** Colours in the clip's one palette; a GIF allows 256, the studio scene needs far fewer. */
const PALETTE_SIZE = 64;

/**
 * Stage 4, span `encode`: the frames as an animated GIF (looping forever). One palette is quantized from a
 * sample of frames and shared by all, so colours do not flicker from frame to frame.
 * @param {import('./model.mjs').Video} video
 * @returns {Uint8Array} the GIF file's bytes
 */
export function encodeGif(video) {
  return inSpan('encode', () => writeGif(video, buildPalette(video.frames)), { 'video.format': 'gif' });
}

/**
 * A palette for the whole clip, quantized from every third frame.
 * @param {readonly Uint8ClampedArray[]} frames
 * @returns {number[][]}
 */
function buildPalette(frames) {
  return inFineSpan('encode.quantize', () => {
    const sample = frames.filter((_, index) => index % 3 === 0);
    const pixels = new Uint8ClampedArray(sample.reduce((sum, frame) => sum + frame.length, 0));
    let offset = 0;
    for (const frame of sample) {
      pixels.set(frame, offset);
      offset += frame.length;
    }
    return quantize(pixels, PALETTE_SIZE, { format: 'rgb565' });
  });
}

/**
 * Maps each frame onto the palette and writes the GIF stream.
 * @param {import('./model.mjs').Video} video
 * @param {number[][]} palette
 * @returns {Uint8Array}
 */
function writeGif(video, palette) {
  return inFineSpan('encode.write', () => {
    const gif = GIFEncoder();
    video.frames.forEach((frame, index) => {
      const indexed = applyPalette(frame, palette, 'rgb565');
      gif.writeFrame(indexed, video.width, video.height, {
        palette: index === 0 ? palette : undefined,
        delay: video.frameDelayMs,
        repeat: 0,
      });
    });
    gif.finish();
    return gif.bytes();
  });
}
