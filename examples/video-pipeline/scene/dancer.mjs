import { createCanvas, fillCapsule, fillEllipse, fillRect, fillRows } from './raster.mjs';

/**
 * The procedural "video model" scene: a dancer turning on one leg (a pirouette in passé) in a sunlit studio,
 * drawn from a camera that depends on the shot. Body coordinates are in dancer heights: y up from the floor,
 * x to the dancer's left, z away from the camera.
 * @typedef {{ x: number, y: number, z: number }} Point3
 * @typedef {import('./raster.mjs').Rgb} Rgb
 * @typedef {object} Look what the prompt decides: colours and how the dancer moves
 * @property {Rgb} costume
 * @property {Rgb} skin
 * @property {Rgb} wall
 * @property {number} turns whole turns over the clip
 * @property {number} armSweep 0 = arms stay rounded in front, 1 = they open fully to the sides and back
 * @property {number} startAngle radians
 * @typedef {object} Camera how a shot frames the dancer, in fractions of the frame height
 * @property {number} scale pixels per dancer height at the floor, as a fraction of the frame height
 * @property {number} floorY screen row of the dancer's feet, as a fraction of the frame height
 * @property {number} horizonY screen row where the wall meets the floor, as a fraction of the frame height
 * @property {number} foreshortening how much smaller things look per dancer height above the floor
 */

/** @type {Readonly<Record<string, Camera>>} */
export const CAMERAS = {
  // The chest fills the frame; feet and floor are below it.
  closeup: { scale: 1.7, floorY: 1.85, horizonY: 1.5, foreshortening: 0 },
  // The whole studio: a small dancer in the middle distance.
  wide: { scale: 0.42, floorY: 0.84, horizonY: 0.6, foreshortening: 0 },
  // From the floor looking up: a low horizon, big feet, a small head.
  'low-angle': { scale: 1.05, floorY: 0.98, horizonY: 0.9, foreshortening: 0.45 },
};

/**
 * Draws frame `index` of `count`: the pose at that moment of the turn, seen through the shot's camera.
 * @param {{ index: number, count: number, width: number, height: number, camera: Camera, look: Look }} frame
 * @returns {import('./raster.mjs').Canvas}
 */
export function drawDancerFrame({ index, count, width, height, camera, look }) {
  const canvas = createCanvas(width, height);
  const progress = index / count;
  const project = projector(camera, width, height);
  drawStudio(canvas, camera, look, progress);
  const feet = project({ x: 0, y: 0, z: 0 });
  fillEllipse(canvas, feet, 0.16 * camera.scale * height, 0.03 * camera.scale * height, [40, 30, 25], 0.35);
  const limbs = dancerLimbs(pose(progress, look), look);
  limbs.sort((a, b) => b.depth - a.depth);
  for (const limb of limbs) drawLimb(canvas, limb, project, camera.scale * height);
  return canvas;
}

/**
 * Joints of the dancer at `progress` (0…1) through the clip: the body turns about the standing leg; the arms
 * breathe open and closed with `look.armSweep`.
 * @param {number} progress
 * @param {Look} look
 * @returns {Record<string, Point3>}
 */
export function pose(progress, look) {
  const angle = look.startAngle + 2 * Math.PI * look.turns * progress;
  const open = look.armSweep * (0.5 - 0.5 * Math.cos(2 * Math.PI * progress));
  /** @type {Record<string, Point3>} */
  const body = {
    foot: { x: 0, y: 0, z: 0 },
    knee: { x: 0, y: 0.27, z: 0 },
    hip: { x: 0, y: 0.5, z: 0 },
    passeKnee: { x: 0.2, y: 0.38, z: -0.08 },
    passeFoot: { x: 0.02, y: 0.29, z: -0.02 },
    neck: { x: 0, y: 0.82, z: 0 },
    head: { x: 0, y: 0.9, z: 0 },
    leftShoulder: { x: 0.1, y: 0.79, z: 0 },
    rightShoulder: { x: -0.1, y: 0.79, z: 0 },
    leftElbow: mix({ x: 0.17, y: 0.69, z: -0.12 }, { x: 0.26, y: 0.8, z: 0 }, open),
    rightElbow: mix({ x: -0.17, y: 0.69, z: -0.12 }, { x: -0.26, y: 0.8, z: 0 }, open),
    leftHand: mix({ x: 0.05, y: 0.64, z: -0.2 }, { x: 0.42, y: 0.83, z: 0.04 }, open),
    rightHand: mix({ x: -0.05, y: 0.64, z: -0.2 }, { x: -0.42, y: 0.83, z: 0.04 }, open),
  };
  return Object.fromEntries(Object.entries(body).map(([joint, point]) => [joint, turn(point, angle)]));
}

/**
 * @typedef {{ from: Point3, to: Point3, radius: number, color: Rgb, depth: number, shape: 'capsule' | 'skirt' }} Limb
 */

/**
 * The drawable parts of a posed body, each with its depth for back-to-front drawing.
 * @param {Record<string, Point3>} j the joints, as `pose` returns them
 * @param {Look} look
 * @returns {Limb[]}
 */
function dancerLimbs(j, look) {
  /** @type {Array<[Point3, Point3, number, Rgb, Limb['shape']]>} */
  const parts = [
    [j.foot, j.knee, 0.022, look.skin, 'capsule'],
    [j.knee, j.hip, 0.028, look.skin, 'capsule'],
    [j.hip, j.passeKnee, 0.028, look.skin, 'capsule'],
    [j.passeKnee, j.passeFoot, 0.022, look.skin, 'capsule'],
    [j.hip, j.neck, 0.06, look.costume, 'capsule'],
    [j.hip, j.hip, 0.2, lighter(look.costume, 0.35), 'skirt'],
    [j.leftShoulder, j.leftElbow, 0.018, look.skin, 'capsule'],
    [j.leftElbow, j.leftHand, 0.016, look.skin, 'capsule'],
    [j.rightShoulder, j.rightElbow, 0.018, look.skin, 'capsule'],
    [j.rightElbow, j.rightHand, 0.016, look.skin, 'capsule'],
    [j.head, j.head, 0.065, look.skin, 'capsule'],
  ];
  return parts.map(([from, to, radius, color, shape]) => {
    const depth = (from.z + to.z) / 2;
    return { from, to, radius, color: shade(color, depth), depth, shape };
  });
}

/**
 * @param {import('./raster.mjs').Canvas} canvas
 * @param {Limb} limb
 * @param {(point: Point3) => { x: number, y: number, scale: number }} project
 * @param {number} pixelsPerHeight
 */
function drawLimb(canvas, limb, project, pixelsPerHeight) {
  const from = project(limb.from);
  const to = project(limb.to);
  const radius = Math.max(0.6, limb.radius * pixelsPerHeight * from.scale);
  if (limb.shape === 'skirt') fillEllipse(canvas, from, radius, radius * 0.28, limb.color);
  else fillCapsule(canvas, from, to, radius, limb.color);
}

/**
 * The studio behind the dancer: a warm wall lit by a window whose light drifts as the clip plays, and a
 * wooden floor below the horizon.
 * @param {import('./raster.mjs').Canvas} canvas
 * @param {Camera} camera
 * @param {Look} look
 * @param {number} progress
 */
function drawStudio(canvas, camera, look, progress) {
  const horizon = camera.horizonY * canvas.height;
  fillRows(canvas, (y) => (y < horizon ? darker(look.wall, 0.25 * (y / horizon)) : darker([150, 105, 70], 0.3 * ((y - horizon) / canvas.height))));
  const pane = canvas.height * 0.22;
  const left = canvas.width * (0.62 + 0.04 * progress);
  for (const offset of [0, pane * 0.6]) {
    fillRect(canvas, left + offset, canvas.height * 0.12, left + offset + pane * 0.5, canvas.height * 0.12 + pane, [255, 246, 214], 0.55);
  }
}

/**
 * Maps body coordinates to pixels for a camera: feet at `floorY`, scaled by the frame height, smaller with
 * height when the camera looks up (foreshortening) and slightly smaller with distance.
 * @param {Camera} camera
 * @param {number} width
 * @param {number} height
 * @returns {(point: Point3) => { x: number, y: number, scale: number }}
 */
function projector(camera, width, height) {
  const pixels = camera.scale * height;
  return (point) => {
    const distance = 1 / (1 + 0.3 * point.z);
    const scale = (1 - camera.foreshortening * point.y) * distance;
    return {
      x: width / 2 + point.x * pixels * scale,
      y: camera.floorY * height - pixels * (point.y - (camera.foreshortening * point.y * point.y) / 2),
      scale,
    };
  };
}

/**
 * @param {Point3} point
 * @param {number} angle
 * @returns {Point3}
 */
function turn(point, angle) {
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  return { x: point.x * cos - point.z * sin, y: point.y, z: point.x * sin + point.z * cos };
}

/**
 * @param {Point3} a
 * @param {Point3} b
 * @param {number} t
 * @returns {Point3}
 */
function mix(a, b, t) {
  return { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t, z: a.z + (b.z - a.z) * t };
}

/**
 * Parts turned away from the camera are in the dancer's own shadow.
 * @param {Rgb} color
 * @param {number} depth
 * @returns {Rgb}
 */
function shade(color, depth) {
  return darker(color, Math.min(0.3, Math.max(0, depth * 1.2)));
}

/**
 * @param {Rgb} color
 * @param {number} amount 0…1
 * @returns {Rgb}
 */
function darker(color, amount) {
  return [color[0] * (1 - amount), color[1] * (1 - amount), color[2] * (1 - amount)];
}

/**
 * @param {Rgb} color
 * @param {number} amount 0…1
 * @returns {Rgb}
 */
function lighter(color, amount) {
  return [color[0] + (255 - color[0]) * amount, color[1] + (255 - color[1]) * amount, color[2] + (255 - color[2]) * amount];
}
