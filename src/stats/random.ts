/**
 * Deterministic uniform random numbers in [0, 1) from a string seed, so that the same inputs give
 * the same plan and verdicts (DESIGN §5). Generator: xoshiro128** (Blackman & Vigna, "Scrambled
 * linear pseudorandom number generators", 2018), its 128-bit state filled by splitmix32 from two
 * 32-bit FNV-1a hashes of the seed's UTF-16 code units. Each number uses two outputs for 53 bits.
 * Not for cryptography.
 */
export function seededRandom(seed: string): () => number {
  const first = splitmix32(fnv1a(seed, 0x811c9dc5));
  const second = splitmix32(fnv1a(seed, 0x050c5d1f));
  const state = new Uint32Array([first(), second(), first(), second()]);
  if (state.every((word) => word === 0)) state[0] = 1;
  const next = (): number => {
    const s0 = state[0] as number;
    const s1 = state[1] as number;
    const s2 = state[2] as number;
    const s3 = state[3] as number;
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    state[2] = s2 ^ s0;
    state[3] = s3 ^ s1;
    state[1] = s1 ^ (state[2] as number);
    state[0] = s0 ^ (state[3] as number);
    state[2] = (state[2] as number) ^ t;
    state[3] = rotl(state[3] as number, 11);
    return result >>> 0;
  };
  return () => ((next() >>> 5) * 67108864 + (next() >>> 6)) / 9007199254740992;
}

/**
 * One seed string from several parts (e.g. experiment id, input, variant, round), unambiguous:
 * each part is length-prefixed, so ("a", "bc") and ("ab", "c") give different seeds.
 */
export function seedFrom(...parts: string[]): string {
  return parts.map((part) => `${part.length}:${part}`).join('|');
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function fnv1a(text: string, basis: number): number {
  let hash = basis >>> 0;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}
