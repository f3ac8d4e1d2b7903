import { describe, expect, it } from 'vitest';
import { cappedWarnings, capWarnings, MAX_WARNING_CHARS, MAX_WARNINGS, WarningLog, warningSummary, warningTotal } from './warnings.js';

describe('bounded warnings', () => {
  it('keeps the first MAX_WARNINGS, then one line counting the rest', () => {
    const list = capWarnings(Array.from({ length: 1000 }, (_, i) => `w${i}`));
    expect(list).toHaveLength(MAX_WARNINGS + 1);
    expect(list[MAX_WARNINGS - 1]).toBe(`w${MAX_WARNINGS - 1}`);
    expect(list.at(-1)).toBe('… and 900 more warnings not shown');
  });

  it('merging bounded lists counts what their summary lines stand for', () => {
    const a = capWarnings(Array.from({ length: 150 }, (_, i) => `a${i}`));
    const b = capWarnings(Array.from({ length: 120 }, (_, i) => `b${i}`));
    const merged = capWarnings(['own warning', ...a, ...b]);
    expect(merged[0]).toBe('own warning');
    expect(merged).toHaveLength(MAX_WARNINGS + 1);
    // 271 warnings in all, 100 kept.
    expect(merged.at(-1)).toBe(warningSummary(171));
  });

  it('cuts each warning to a bounded length and leaves short lists alone', () => {
    const log = new WarningLog();
    expect(log.add('x'.repeat(10_000))).toHaveLength(MAX_WARNING_CHARS);
    expect(capWarnings(['one', 'two'])).toEqual(['one', 'two']);
    expect(warningSummary(1)).toBe('… and 1 more warning not shown');
  });
});

describe('warningTotal', () => {
  it('counts what a summary line stands for', () => {
    expect(warningTotal(capWarnings(Array.from({ length: 250 }, (_, i) => `w${i}`)))).toBe(250);
    expect(warningTotal(['a', 'b'])).toBe(2);
  });
});

describe('cappedWarnings', () => {
  it('passes the first MAX_WARNINGS on, then one line per flush counting the rest', () => {
    const emitted: string[] = [];
    const channel = cappedWarnings((m) => emitted.push(m));
    for (let i = 0; i < 5000; i++) channel.warn(`run-${i}: junk.json: not a trace`);
    expect(emitted).toHaveLength(MAX_WARNINGS);
    channel.flush();
    expect(emitted.at(-1)).toBe('… and 4900 more warnings not shown');
    // A second flush with nothing new says nothing; later warnings are counted from there.
    channel.flush();
    channel.warn('one more');
    channel.flush();
    expect(emitted.slice(MAX_WARNINGS)).toEqual(['… and 4900 more warnings not shown', '… and 1 more warning not shown']);
  });

  it('says nothing extra when nothing was left out', () => {
    const emitted: string[] = [];
    const channel = cappedWarnings((m) => emitted.push(m));
    channel.warn('only one');
    channel.flush();
    expect(emitted).toEqual(['only one']);
  });
});
