/** Where the runner reports progress; the CLI draws a bar on a terminal and plain lines in CI. */
import type { RunLine } from '../results/format.js';

export interface ProgressSink {
  /** A stretch of the matrix starts: `total` runs planned, `skipped` of them already recorded. */
  begin(label: string, total: number, skipped: number): void;
  /** One run finished (in completion order). */
  runDone(run: RunLine, done: number, total: number): void;
  /** The stretch is over. */
  end(): void;
}

/** A sink that reports nothing. */
export const silentProgress: ProgressSink = { begin() {}, runDone() {}, end() {} };
