/** The gate's outcome as an exit status (DESIGN §6). The one-sentence verdict is src/report/headline.ts. */
import type { Report } from '../report/model.js';

/** 1 when the gate failed, 0 otherwise (inconclusive passes unless fail-on says so; that is already in the verdict). */
export function exitCodeFor(report: Report): 0 | 1 {
  return report.verdict === 'fail' ? 1 : 0;
}
