import type { TraceWarning } from './span.js';

/** Warnings listed one by one per kind before the rest is only counted (a broken 1M-span trace stays readable). */
export const WARNINGS_LISTED_PER_KIND = 20;

/**
 * Collects repair warnings: every one is counted, the first WARNINGS_LISTED_PER_KIND of each kind are kept
 * verbatim and `finish` appends one "… N more" line per kind that overflowed.
 */
export class WarningSink {
  private readonly counts = new Map<TraceWarning['kind'], number>();
  constructor(readonly into: TraceWarning[] = []) {}

  add(kind: TraceWarning['kind'], message: string, spanId?: string): void {
    const n = (this.counts.get(kind) ?? 0) + 1;
    this.counts.set(kind, n);
    if (n <= WARNINGS_LISTED_PER_KIND) this.into.push(spanId === undefined ? { kind, message } : { kind, message, spanId });
  }

  /** How many warnings of `kind` were added, listed or not. */
  count(kind: TraceWarning['kind']): number {
    return this.counts.get(kind) ?? 0;
  }

  finish(): TraceWarning[] {
    for (const [kind, n] of this.counts) {
      if (n > WARNINGS_LISTED_PER_KIND) {
        this.into.push({ kind, message: `… and ${n - WARNINGS_LISTED_PER_KIND} more ${kind} warnings (${n} in all)` });
      }
    }
    this.counts.clear();
    return this.into;
  }
}
