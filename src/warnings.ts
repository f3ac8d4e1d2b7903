/**
 * Bounded warnings: the one mechanism every warning list goes through (results files, the report's
 * warnings in report.json, HTML and markdown, and the CLI's stderr). The first `cap` warnings are kept,
 * each cut to `MAX_WARNING_CHARS`; the rest are only counted, and one summary line says how many were
 * left out. A hostile file of a million junk lines thus costs a hundred lines of output, not a million.
 */

export const MAX_WARNINGS = 100;
export const MAX_WARNING_CHARS = 500;

const SUMMARY = /^… and (\d+) more warnings? not shown$/;

/** The line that stands for `count` warnings left out. */
export function warningSummary(count: number): string {
  return `… and ${count} more warning${count === 1 ? '' : 's'} not shown`;
}

export class WarningLog {
  private readonly kept: string[] = [];
  private omitted = 0;

  constructor(private readonly cap: number = MAX_WARNINGS) {}

  /** Records one warning; returns it (cut to length) when it is kept, undefined when only counted. */
  add(message: string): string | undefined {
    const summarized = SUMMARY.exec(message);
    if (summarized) {
      this.omitted += Number(summarized[1]);
      return undefined;
    }
    if (this.kept.length >= this.cap) {
      this.omitted++;
      return undefined;
    }
    const text = message.length > MAX_WARNING_CHARS ? message.slice(0, MAX_WARNING_CHARS - 1) + '…' : message;
    this.kept.push(text);
    return text;
  }

  /** True once the cap is reached: further warnings are only counted (callers may skip building them). */
  get full(): boolean {
    return this.kept.length >= this.cap;
  }

  /** Counts one warning left out without its text. */
  count(): void {
    this.omitted++;
  }

  /** Every warning seen, kept or counted (a summary line added earlier counts as what it stands for). */
  get total(): number {
    return this.kept.length + this.omitted;
  }

  get omittedCount(): number {
    return this.omitted;
  }

  /** The kept warnings, then the summary line when any was left out. */
  list(): string[] {
    return this.omitted > 0 ? [...this.kept, warningSummary(this.omitted)] : [...this.kept];
  }
}

/** The bounded form of a list of warnings (lists already bounded, with their summary lines, merge correctly). */
export function capWarnings(warnings: Iterable<string>, cap: number = MAX_WARNINGS): string[] {
  const log = new WarningLog(cap);
  for (const warning of warnings) log.add(warning);
  return log.list();
}

/** How many warnings a bounded list stands for (its summary line counts as what it left out). */
export function warningTotal(warnings: Iterable<string>): number {
  const log = new WarningLog(Number.MAX_SAFE_INTEGER);
  for (const warning of warnings) log.add(warning);
  return log.total;
}

/** A warning channel bounded by a WarningLog: `warn` passes the kept ones on, `flush` says how many were left out. */
export interface CappedWarnings {
  warn: (message: string) => void;
  /** Emits one summary line for the warnings left out since the last flush (none when none were). */
  flush: () => void;
}

/**
 * Passes the first `cap` warnings to `emit` (each cut to MAX_WARNING_CHARS) and only counts the rest;
 * `flush` hands the count left out to `summarize` (by default it emits "… and N more warnings not shown").
 * The action routes every per-run warning (trace files, metrics files) through one of these, and the CLI
 * its stderr, so a hostile pipeline cannot flood the job log or the terminal.
 */
export function cappedWarnings(
  emit: (message: string) => void,
  cap: number = MAX_WARNINGS,
  summarize: (omitted: number) => void = (omitted) => emit(warningSummary(omitted)),
): CappedWarnings {
  const log = new WarningLog(cap);
  let flushed = 0;
  return {
    warn(message) {
      const kept = log.add(message);
      if (kept !== undefined) emit(kept);
    },
    flush() {
      const omitted = log.omittedCount - flushed;
      if (omitted > 0) summarize(omitted);
      flushed = log.omittedCount;
    },
  };
}
