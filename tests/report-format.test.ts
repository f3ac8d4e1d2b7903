/** Number formats people read in every report: durations, changes, intervals and probabilities. */
import { describe, expect, it } from 'vitest';
import { formatChange, formatDeltaMs, formatInterval, formatMs, formatProbability, formatRate, plural, shortSha } from '../src/report/format.js';

describe('formatMs', () => {
  it('uses ms under a second, seconds with one decimal under a minute, minutes above', () => {
    expect(formatMs(412.4)).toBe('412 ms');
    expect(formatMs(8213.4)).toBe('8.2 s');
    expect(formatMs(999.6)).toBe('1.0 s');
    expect(formatMs(4.25)).toBe('4.3 ms');
    expect(formatMs(125_000)).toBe('2 min 05 s');
    expect(formatMs(null)).toBe('—');
  });
});

describe('formatChange', () => {
  it('shows the ratio as a signed percent, with a decimal near the 5% threshold', () => {
    expect(formatChange(1.234)).toBe('+23%');
    expect(formatChange(0.9)).toBe('−10%');
    expect(formatChange(1.047)).toBe('+4.7%');
    expect(formatChange(1.05)).toBe('+5%');
    expect(formatChange(1.0004)).toBe('±0%');
  });
});

describe('other formats', () => {
  it('formats deltas, intervals, probabilities, rates, counts and SHAs', () => {
    expect(formatDeltaMs(48)).toBe('+48 ms');
    expect(formatDeltaMs(-1200)).toBe('−1.2 s');
    expect(formatInterval(1.154, 1.305)).toBe('[1.15, 1.30]');
    expect(formatProbability('q', 0.0031)).toBe('q=0.003');
    expect(formatProbability('q', 0.0004)).toBe('q<0.001');
    expect(formatProbability('p', 0.213)).toBe('p=0.21');
    expect(formatRate(0.7)).toBe('70%');
    expect(plural(1, 'cell')).toBe('1 cell');
    expect(plural(6, 'cell')).toBe('6 cells');
    expect(shortSha('9f8e7d6c5b4a')).toBe('9f8e7d6');
  });
});
