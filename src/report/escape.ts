/**
 * Escaping for untrusted strings (prompts, variant labels, span names, error text, refs) before they
 * reach markdown, HTML or mermaid. A PR author controls most of these, so each escaper must make it
 * impossible to break a table, inject HTML, ping people, or forge the hidden comment marker.
 */

const ZERO_WIDTH_SPACE = '\u200b';

/** Characters that mean something to GitHub-flavoured markdown inline parsing. */
const MARKDOWN_PUNCTUATION = /[\\`*_[\]|~$!]/g;

/**
 * Text for a markdown paragraph or table cell, rendered literally by GitHub:
 * backslash-escapes markdown punctuation (`\ ` ` * _ [ ] | ~ $ !`), turns `& < >` into entities (so
 * neither HTML nor the `<!-- … -->` marker can be written), escapes a leading `#`, `-`, `+`, `1.` or `1)`
 * that would start a heading or list (a leading `>` is already an entity), breaks `@mentions` and `#123` issue references with a zero-width space, and
 * folds newlines into spaces so a table row stays one line.
 */
export function escapeMarkdownText(text: string): string {
  const oneLine = text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ');
  const escaped = oneLine
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_PUNCTUATION, (ch) => `\\${ch}`)
    .replace(/^(\s*)([#+-])/, '$1\\$2')
    .replace(/^(\s*\d+)([.)])/, '$1\\$2');
  return breakNotifications(escaped);
}

/**
 * Breaks what GitHub would turn into a notification with a zero-width space: `@name` and `@org/team`
 * mentions, and issue references (`#123`, `owner/repo#123`, `GH-123`), which post a cross-reference
 * into the referenced issue. Untrusted text must not ping people or spam other issues' timelines.
 */
export function breakNotifications(text: string): string {
  return text
    .replace(/@(?=[\p{L}\p{N}_-])/gu, `@${ZERO_WIDTH_SPACE}`)
    .replace(/#(?=\d)/g, `#${ZERO_WIDTH_SPACE}`)
    .replace(/\b(GH-)(?=\d)/gi, `$1${ZERO_WIDTH_SPACE}`);
}

/** Text for HTML element content or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * Text inside raw HTML that GitHub puts into a comment (`<summary>`, `<td>`): GitHub does not parse
 * markdown there, so backslashes would show; HTML entities, broken mentions and references, and one line are what count.
 */
export function escapeInlineHtml(text: string): string {
  return breakNotifications(escapeHtml(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')));
}

/**
 * A mermaid label that can never leave its quotes: only letters, digits, spaces and `. _ - + % ×`
 * survive (everything else becomes a space), runs of spaces collapse, and the result is cut to
 * `maxLength` characters and wrapped in double quotes. Quotes, brackets, arrows, `#` entity codes,
 * `%%` directives and newlines are all gone.
 */
export function mermaidLabel(text: string, maxLength = 28): string {
  const safe = text
    .replace(/[^\p{L}\p{N} ._+×-]/gu, ' ')
    .replace(/%%/g, '% ')
    .replace(/\s+/g, ' ')
    .trim();
  const cut = [...safe].length > maxLength ? `${[...safe].slice(0, maxLength - 1).join('').trimEnd()}…` : safe;
  return `"${cut}"`;
}

/**
 * A fenced code block holding `text` verbatim: the fence is longer than any backtick run inside, so
 * the content cannot close it. `<!--` is broken with a zero-width space so even a code block cannot
 * carry something that looks like the hidden marker; mentions are inert in code already.
 */
export function codeBlock(text: string, language = ''): string {
  const longestRun = [...text.matchAll(/`+/g)].reduce((longest, m) => Math.max(longest, m[0].length), 0);
  const fence = '`'.repeat(Math.max(3, longestRun + 1));
  const body = text.replace(/<!--/g, `<!${ZERO_WIDTH_SPACE}--`).replace(/-->/g, `--${ZERO_WIDTH_SPACE}>`);
  return `${fence}${language}\n${body}\n${fence}`;
}

/**
 * A URL safe to put in a markdown link target or an HTML attribute: only `https:` / `http:` URLs are
 * kept (no `javascript:`), and characters that could end the link or the attribute are percent-encoded.
 * Returns undefined for anything else, which callers render as plain text.
 */
export function safeUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/[()<>"'`\s|\\[\]*_]/g, (ch) => `%${ch.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

/** Cut text to `max` characters (code points), ending with "…" when cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  return `${chars.slice(0, Math.max(0, max - 1)).join('').trimEnd()}…`;
}
