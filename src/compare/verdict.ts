/**
 * Verdict rules of DESIGN §5, per metric, per cell and for the pull request. Every verdict carries a
 * reason in words so a reader of the report can check the rule against the numbers.
 */
import type { CellVerdict, PrVerdict } from '../report/model.js';
import type { GateSettings } from './settings.js';

export interface LatencyEvidence {
  ratio: number;
  ciLow: number;
  ciHigh: number;
  /** BH-adjusted q for "head slower" and for "head faster". */
  q: number;
  qFaster: number;
  baseMedianMs: number;
  headMedianMs: number;
}

/**
 * `regression`: q ≤ α, ratio ≥ 1 + min-change and the median grew by at least min-abs-ms.
 * `improvement`: the mirror image (q of the opposite one-sided test, ratio ≤ 1/(1 + min-change)).
 * `unchanged`: the interval's upper end is below 1 + min-change — a slowdown that matters is ruled out.
 * Otherwise `inconclusive`: more rounds could decide it.
 */
export function latencyVerdict(e: LatencyEvidence, gate: GateSettings, alpha: number): { verdict: CellVerdict; reason: string } {
  const threshold = 1 + gate.minChange;
  const change = percent(e.ratio - 1);
  const q = fmt(e.q);
  const growthMs = e.headMedianMs - e.baseMedianMs;
  if (e.q <= alpha && e.ratio >= threshold && growthMs >= gate.minAbsMs) {
    return { verdict: 'regression', reason: `q ${q} ≤ ${fmt(alpha)} and ${change} ≥ +${percent(gate.minChange, false)}` + absClause(growthMs, gate) };
  }
  if (e.qFaster <= alpha && e.ratio <= 1 / threshold && -growthMs >= gate.minAbsMs) {
    return { verdict: 'improvement', reason: `q (faster) ${fmt(e.qFaster)} ≤ ${fmt(alpha)} and ${change} ≤ −${percent(1 - 1 / threshold, false)}` };
  }
  if (e.ciHigh < threshold) {
    return { verdict: 'unchanged', reason: `the 90% interval ends at ${percent(e.ciHigh - 1)}, below +${percent(gate.minChange, false)}` };
  }
  if (e.q <= alpha && e.ratio < threshold) {
    return { verdict: 'inconclusive', reason: `significant (q ${q}) but ${change} is below +${percent(gate.minChange, false)} and the interval reaches ${percent(e.ciHigh - 1)}` };
  }
  if (e.q <= alpha && e.ratio >= threshold) {
    return { verdict: 'inconclusive', reason: `q ${q} and ${change}, but the median grew by only ${fmt(growthMs)} ms < min-abs-ms ${gate.minAbsMs}` };
  }
  return { verdict: 'inconclusive', reason: `q ${q} > ${fmt(alpha)} and the 90% interval reaches ${percent(e.ciHigh - 1)}` };
}

export interface SuccessEvidence {
  q: number;
  pFewer: number;
  newFailures: number;
}

/** `regression` when q ≤ α or more new failures than the guard rail allows; `improvement` when head fails significantly less. */
export function successVerdict(e: SuccessEvidence, gate: GateSettings, alpha: number): { verdict: CellVerdict; reason: string } {
  if (e.newFailures > gate.maxNewFailures) {
    return { verdict: 'regression', reason: `${e.newFailures} new failure${e.newFailures === 1 ? '' : 's'} > max-new-failures ${gate.maxNewFailures}` };
  }
  if (e.q <= alpha) return { verdict: 'regression', reason: `q ${fmt(e.q)} ≤ ${fmt(alpha)}: head fails more often` };
  if (e.pFewer <= alpha) return { verdict: 'improvement', reason: `p (fewer failures) ${fmt(e.pFewer)} ≤ ${fmt(alpha)}` };
  return { verdict: 'unchanged', reason: `q ${fmt(e.q)} > ${fmt(alpha)} and ${e.newFailures} new failures ≤ ${gate.maxNewFailures}` };
}

/** Worst of the metrics: regression, then inconclusive, then improvement, then unchanged. */
export function worstVerdict(verdicts: (CellVerdict | undefined)[]): CellVerdict {
  const present = verdicts.filter((v): v is CellVerdict => v !== undefined);
  for (const v of ['regression', 'inconclusive', 'improvement'] as const) if (present.includes(v)) return v;
  return 'unchanged';
}

/**
 * `fail` when a regression exists and fail-on includes `regression` (or an inconclusive cell exists and
 * fail-on includes `inconclusive`); `inconclusive` when some cell is undecided or a regression is not
 * gated; `pass` otherwise.
 */
export function prVerdict(verdicts: CellVerdict[], failOn: GateSettings['failOn']): PrVerdict {
  const regression = verdicts.includes('regression');
  const inconclusive = verdicts.includes('inconclusive');
  if ((regression && failOn.includes('regression')) || (inconclusive && failOn.includes('inconclusive'))) return 'fail';
  return regression || inconclusive ? 'inconclusive' : 'pass';
}

function absClause(growthMs: number, gate: GateSettings): string {
  return gate.minAbsMs > 0 ? ` and the median grew ${fmt(growthMs)} ms ≥ ${gate.minAbsMs} ms` : '';
}

/** Signed percentage with up to one decimal, e.g. "+23%" or "−4.5%". */
export function percent(fraction: number, signed = true): string {
  const value = Math.round(fraction * 1000) / 10;
  const text = `${Math.abs(value)}%`;
  if (!signed) return text;
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

function fmt(x: number): string {
  if (x === 0) return '0';
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return Number(x.toPrecision(2)).toString();
}
