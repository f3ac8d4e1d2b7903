import { createHash } from 'node:crypto';

/**
 * A 32-bit seed from any list of strings: the first four bytes of their SHA-256. The same parts always give
 * the same seed, so a run's jitter and injected failures are reproducible from its round, input and variant.
 * @param {readonly string[]} parts
 * @returns {number}
 */
export function seedFrom(parts) {
  return createHash('sha256').update(parts.join('\u0000')).digest().readUInt32BE(0);
}

/**
 * A deterministic generator of uniform numbers in [0, 1) (the mulberry32 recurrence): small, fast and good
 * enough for simulated latency and drawing, never for anything secret.
 * @param {number} seed
 * @returns {() => number}
 */
export function uniformGenerator(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A log-normal draw with the given median and log-scale spread (Box–Muller on two uniforms): the usual shape
 * of service latency, never negative and with a longer right tail.
 * @param {() => number} uniform
 * @param {number} medianMs
 * @param {number} sigma standard deviation of the log latency
 * @returns {number}
 */
export function logNormalMs(uniform, medianMs, sigma) {
  const u1 = Math.max(uniform(), Number.EPSILON);
  const u2 = uniform();
  const normal = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return medianMs * Math.exp(sigma * normal);
}
