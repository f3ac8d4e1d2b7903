/**
 * A tiny RGBA raster: just the fills the dancer scene needs, with no anti-aliasing (a GIF palette would
 * undo it anyway).
 * @typedef {object} Canvas
 * @property {number} width
 * @property {number} height
 * @property {Uint8ClampedArray} pixels RGBA, row-major, 4 bytes a pixel
 * @typedef {readonly [number, number, number]} Rgb
 */

/**
 * @param {number} width
 * @param {number} height
 * @returns {Canvas}
 */
export function createCanvas(width, height) {
  return { width, height, pixels: new Uint8ClampedArray(width * height * 4) };
}

/**
 * Paints every row with the colour `colorOfRow` gives for it (a sky, a wall, a floor).
 * @param {Canvas} canvas
 * @param {(y: number) => Rgb} colorOfRow
 */
export function fillRows(canvas, colorOfRow) {
  for (let y = 0; y < canvas.height; y++) {
    const [r, g, b] = colorOfRow(y);
    for (let x = 0; x < canvas.width; x++) setPixel(canvas, x, y, r, g, b);
  }
}

/**
 * Fills a rectangle, clipped to the canvas; `alpha` blends it over what is there (1 = opaque).
 * @param {Canvas} canvas
 * @param {number} left
 * @param {number} top
 * @param {number} right
 * @param {number} bottom
 * @param {Rgb} color
 * @param {number} [alpha]
 */
export function fillRect(canvas, left, top, right, bottom, color, alpha = 1) {
  const [x0, x1, y0, y1] = clipBox(canvas, left, right, top, bottom);
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) blendPixel(canvas, x, y, color, alpha);
  }
}

/**
 * Fills the set of points within `radius` of the segment a–b: a limb with rounded ends.
 * @param {Canvas} canvas
 * @param {{ x: number, y: number }} a
 * @param {{ x: number, y: number }} b
 * @param {number} radius
 * @param {Rgb} color
 */
export function fillCapsule(canvas, a, b, radius, color) {
  const [x0, x1, y0, y1] = clipBox(
    canvas,
    Math.min(a.x, b.x) - radius,
    Math.max(a.x, b.x) + radius,
    Math.min(a.y, b.y) - radius,
    Math.max(a.y, b.y) + radius,
  );
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const lengthSquared = dx * dx + dy * dy || 1;
  const radiusSquared = radius * radius;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = Math.min(1, Math.max(0, ((x + 0.5 - a.x) * dx + (y + 0.5 - a.y) * dy) / lengthSquared));
      const ex = x + 0.5 - (a.x + t * dx);
      const ey = y + 0.5 - (a.y + t * dy);
      if (ex * ex + ey * ey <= radiusSquared) blendPixel(canvas, x, y, color, 1);
    }
  }
}

/**
 * Fills an axis-aligned ellipse; `alpha` < 1 makes a soft shadow or a pool of light.
 * @param {Canvas} canvas
 * @param {{ x: number, y: number }} center
 * @param {number} radiusX
 * @param {number} radiusY
 * @param {Rgb} color
 * @param {number} [alpha]
 */
export function fillEllipse(canvas, center, radiusX, radiusY, color, alpha = 1) {
  if (radiusX <= 0 || radiusY <= 0) return;
  const [x0, x1, y0, y1] = clipBox(
    canvas,
    center.x - radiusX,
    center.x + radiusX,
    center.y - radiusY,
    center.y + radiusY,
  );
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const nx = (x + 0.5 - center.x) / radiusX;
      const ny = (y + 0.5 - center.y) / radiusY;
      if (nx * nx + ny * ny <= 1) blendPixel(canvas, x, y, color, alpha);
    }
  }
}

/**
 * @param {Canvas} canvas
 * @param {number} left
 * @param {number} right
 * @param {number} top
 * @param {number} bottom
 * @returns {[number, number, number, number]} x0, x1, y0, y1 as whole pixels inside the canvas
 */
function clipBox(canvas, left, right, top, bottom) {
  return [
    Math.max(0, Math.floor(left)),
    Math.min(canvas.width - 1, Math.ceil(right)),
    Math.max(0, Math.floor(top)),
    Math.min(canvas.height - 1, Math.ceil(bottom)),
  ];
}

/**
 * @param {Canvas} canvas
 * @param {number} x
 * @param {number} y
 * @param {Rgb} color
 * @param {number} alpha
 */
function blendPixel(canvas, x, y, color, alpha) {
  const i = (y * canvas.width + x) * 4;
  const p = canvas.pixels;
  p[i] = p[i] + (color[0] - p[i]) * alpha;
  p[i + 1] = p[i + 1] + (color[1] - p[i + 1]) * alpha;
  p[i + 2] = p[i + 2] + (color[2] - p[i + 2]) * alpha;
  p[i + 3] = 255;
}

/**
 * @param {Canvas} canvas
 * @param {number} x
 * @param {number} y
 * @param {number} r
 * @param {number} g
 * @param {number} b
 */
function setPixel(canvas, x, y, r, g, b) {
  const i = (y * canvas.width + x) * 4;
  canvas.pixels[i] = r;
  canvas.pixels[i + 1] = g;
  canvas.pixels[i + 2] = b;
  canvas.pixels[i + 3] = 255;
}
