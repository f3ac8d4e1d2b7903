/**
 * How the prompt's conditioning vector is read as the scene's look: costume colour, skin tone, wall light,
 * number of turns and how far the arms open. Deterministic, so one prompt and shot always give one video.
 * @param {readonly number[]} conditioning values in [-1, 1] (a tanh layer's output), at least 6 of them
 * @returns {import('./dancer.mjs').Look}
 */
export function lookFromConditioning(conditioning) {
  const unit = (/** @type {number} */ i) => ((conditioning[i % conditioning.length] ?? 0) + 1) / 2;
  const skinTones = /** @type {const} */ ([[241, 200, 170], [205, 150, 115], [150, 100, 70], [95, 62, 45]]);
  return {
    costume: hslToRgb(unit(0) * 360, 0.65, 0.5),
    skin: skinTones[Math.floor(unit(1) * skinTones.length) % skinTones.length] ?? skinTones[0],
    wall: hslToRgb(30 + unit(2) * 30, 0.35, 0.78),
    turns: 1 + Math.round(unit(3)),
    armSweep: 0.3 + 0.7 * unit(4),
    startAngle: unit(5) * 2 * Math.PI,
  };
}

/**
 * The RGB colour (0…255) of a hue in degrees, saturation and lightness in 0…1 (the CSS HSL model).
 * @param {number} hue
 * @param {number} saturation
 * @param {number} lightness
 * @returns {import('./raster.mjs').Rgb}
 */
export function hslToRgb(hue, saturation, lightness) {
  const chroma = (1 - Math.abs(2 * lightness - 1)) * saturation;
  const channel = (/** @type {number} */ n) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (lightness - chroma / 2 * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [channel(0), channel(8), channel(4)];
}
