import { describe, expect, it } from 'vitest';
import { normalQuantile } from '../stats/normal.js';
import { MAX_PROJECTED_ROUNDS, roundsToSettle } from './settle.js';

const base = { boundLevel: 0.0218, threshold: 1.05, alpha: 0.003, rounds: 10 };

describe('roundsToSettle', () => {
  it('projects the rounds after which the bound falls below the threshold, as the interval narrows by 1/√rounds', () => {
    // log-ratio 0 with the bound at +8%: the half-width must shrink from log 1.08 to log 1.05.
    const more = roundsToSettle({ ...base, ratio: 1, above: 1.08 })!;
    expect(more).toBe(Math.ceil(10 * (Math.log(1.08) / Math.log(1.05)) ** 2 - 10));
  });

  it('projects the rounds a slowdown needs to become significant at α', () => {
    const above = Math.exp(Math.log(1.1) + 0.05 * normalQuantile(1 - base.boundLevel));
    const more = roundsToSettle({ ...base, ratio: 1.1, above })!;
    expect(more).toBe(Math.ceil(10 * ((normalQuantile(1 - base.alpha) * 0.05) / Math.log(1.1)) ** 2 - 10));
  });

  it('needs more rounds the closer the estimate sits to the threshold, and caps the answer', () => {
    const near = roundsToSettle({ ...base, ratio: 1.04, above: 1.12 })!;
    const far = roundsToSettle({ ...base, ratio: 0.98, above: 1.06 })!;
    expect(near).toBeGreaterThan(far);
    expect(roundsToSettle({ ...base, ratio: 1.0499999, above: 1.2 })).toBe(MAX_PROJECTED_ROUNDS);
  });

  it('gives nothing without a finite bound', () => {
    expect(roundsToSettle({ ...base, ratio: 1, above: Infinity })).toBeNull();
  });
});
