/**
 * Warnings on stderr: scrubbed of terminal escape sequences and other control characters (they may
 * quote untrusted text: results lines, span names, prompts), and bounded by the same WarningLog as the
 * report (src/warnings.ts): the first MAX_WARNINGS are printed, then one line counts the rest.
 */
import { scrubTerminal } from '../report/terminal-text.js';
import { WarningLog } from '../warnings.js';
import type { CliIo } from './io.js';

/** Untrusted text for stderr, keeping its line breaks. */
export function scrubLines(text: string): string {
  return text.split('\n').map(scrubTerminal).join('\n');
}

export interface StderrWarnings {
  warn(message: string): void;
  /** Prints the summary line when warnings were left out; call once at the end. */
  flush(): void;
}

export function stderrWarnings(io: Pick<CliIo, 'stderr'>): StderrWarnings {
  const log = new WarningLog();
  let flushedAt = 0;
  return {
    warn(message) {
      const kept = log.add(message);
      if (kept !== undefined) io.stderr.write(`warning: ${scrubLines(kept)}\n`);
    },
    flush() {
      const omitted = log.omittedCount;
      if (omitted > flushedAt) io.stderr.write(`warning: ${omitted} more warning${omitted === 1 ? '' : 's'} not shown\n`);
      flushedAt = omitted;
    },
  };
}
