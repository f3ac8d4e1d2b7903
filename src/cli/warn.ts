/**
 * Warnings on stderr: scrubbed of terminal escape sequences and other control characters (they may
 * quote untrusted text: results lines, span names, prompts), and bounded by the same WarningLog as the
 * report (src/warnings.ts, through cappedWarnings): the first MAX_WARNINGS are printed, then one line counts the rest.
 */
import { scrubTerminal } from '../report/terminal-text.js';
import { cappedWarnings, MAX_WARNINGS, type CappedWarnings } from '../warnings.js';
import type { CliIo } from './io.js';

/** Untrusted text for stderr, keeping its line breaks. */
export function scrubLines(text: string): string {
  return text.split('\n').map(scrubTerminal).join('\n');
}

/** The CLI's stderr warnings: flush() prints the summary line when warnings were left out; call it once at the end. */
export type StderrWarnings = CappedWarnings;

export function stderrWarnings(io: Pick<CliIo, 'stderr'>): StderrWarnings {
  return cappedWarnings(
    (message) => io.stderr.write(`warning: ${scrubLines(message)}\n`),
    MAX_WARNINGS,
    (omitted) => io.stderr.write(`warning: ${omitted} more warning${omitted === 1 ? '' : 's'} not shown\n`),
  );
}
