/**
 * Escaping of untrusted strings: whatever a PR author writes into a prompt, label, span name or error,
 * the escaped text cannot break a table, write HTML, mention someone, forge the hidden marker, or
 * leave a mermaid label.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codeBlock, escapeHtml, escapeInlineHtml, escapeMarkdownText, mermaidLabel, safeUrl, truncate } from '../src/report/escape.js';

/** Strings biased towards the characters that matter, mixed with arbitrary unicode. */
const hostile = fc.oneof(
  fc.string({ unit: fc.constantFrom('|', '\\', '`', '<', '>', '!', '-', '@', 'a', '_', '\n', '#', '[', ']', '(', ')', ' ', '"', '&', 'f', 'r', '1', 'G', 'H') }),
  fc.string({ unit: 'grapheme' }),
  fc.string(),
);
const MARKER = '<!-- frametail:';

describe('escapeMarkdownText', () => {
  it('never leaves an unescaped pipe, a raw <, an @mention, a newline or the marker', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const out = escapeMarkdownText(text);
        expect(out).not.toMatch(/(?<!\\)(?:\\\\)*\|/);
        expect(out).not.toContain('<');
        expect(out).not.toMatch(/@[\p{L}\p{N}_]/u);
        expect(out).not.toMatch(/#\d|\bGH-\d/i);
        expect(out).not.toMatch(/[\r\n]/);
        expect(out).not.toContain(MARKER);
      }),
      { numRuns: 500 },
    );
  });

  it('escapes markdown punctuation and a trailing backslash so it cannot eat the table separator', () => {
    expect(escapeMarkdownText('a|b')).toBe('a\\|b');
    expect(escapeMarkdownText('path\\')).toBe('path\\\\');
    expect(escapeMarkdownText('`x` *y* _z_ [l](u)')).toBe('\\`x\\` \\*y\\* \\_z\\_ \\[l\\](u)');
    expect(escapeMarkdownText('# title')).toBe('\\# title');
    expect(escapeMarkdownText('1. item')).toBe('1\\. item');
  });

  it('turns HTML and the hidden marker into entities, and breaks mentions with a zero-width space', () => {
    expect(escapeMarkdownText('<script>&')).toBe('&lt;script&gt;&amp;');
    expect(escapeMarkdownText('<!-- frametail:exp_1 -->')).toBe('&lt;\\!-- frametail:exp\\_1 --&gt;');
    expect(escapeMarkdownText('hi @octocat')).toBe('hi @\u200boctocat');
    // Issue references would post a cross-reference into someone else's issue.
    expect(escapeMarkdownText('fixes #12, acme/web#3 and GH-7')).toBe('fixes #\u200b12, acme/web#\u200b3 and GH-\u200b7');
    expect(escapeMarkdownText('line\nbreak')).toBe('line break');
  });
});

describe('escapeHtml and escapeInlineHtml', () => {
  it('leave no markup characters in the output', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        expect(escapeHtml(text)).not.toMatch(/[<>"']/);
        const inline = escapeInlineHtml(text);
        expect(inline).not.toMatch(/[<>"'\n]/);
        expect(inline).not.toMatch(/@[\p{L}\p{N}_]/u);
        expect(inline).not.toMatch(/#\d|\bGH-\d/i);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips through entity decoding', () => {
    const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(decode(escapeHtml(text))).toBe(text);
      }),
    );
  });
});

describe('mermaidLabel', () => {
  it('is always one quoted string of safe characters', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 2, max: 40 }), (text, max) => {
        const label = mermaidLabel(text, max);
        expect(label).toMatch(/^"[\p{L}\p{N} ._+×…-]*"$/u);
        expect([...label].length).toBeLessThanOrEqual(max + 2);
        expect(label).not.toContain('%%');
      }),
      { numRuns: 500 },
    );
  });

  it('keeps readable names readable', () => {
    expect(mermaidLabel('pirouette Wide shot')).toBe('"pirouette Wide shot"');
    expect(mermaidLabel('"]) --> x')).toBe('"-- x"');
  });
});

describe('codeBlock', () => {
  it('uses a fence longer than any backtick run and breaks comment openers', () => {
    expect(codeBlock('a ``` b', 'sh')).toBe('````sh\na ``` b\n````');
    expect(codeBlock('<!-- frametail:x -->')).not.toContain(MARKER);
  });

  it('handles untrusted text of 300,000 backtick runs (no argument spread over input-sized lists)', () => {
    expect(codeBlock('` '.repeat(300_000) + '````').startsWith('`````\n')).toBe(true);
  });
});

describe('safeUrl', () => {
  it('keeps http(s) links, drops other schemes, and encodes characters that end a link', () => {
    expect(safeUrl('https://github.com/o/r/blob/abc/a.py#L3')).toBe('https://github.com/o/r/blob/abc/a.py#L3');
    expect(safeUrl('javascript:alert(1)')).toBeUndefined();
    expect(safeUrl('not a url')).toBeUndefined();
    expect(safeUrl('https://x.example/a(b)"c')).toBe('https://x.example/a%28b%29%22c');
  });
});

describe('truncate', () => {
  it('cuts by code points with an ellipsis', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
  });
});
