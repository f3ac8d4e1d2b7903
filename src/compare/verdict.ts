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
  /**
   * Upper end of the ratio's one-sided interval at `boundLevel` (adjusted for the looks); Infinity when none.
   * Without it (span comparisons) the 90% interval's upper end `ciHigh` is the bound.
   */
  ruledOutAbove?: number;
  boundLevel?: number;
  /** Far-out runs set aside from the test, by side. */
  farOut?: { base: number; head: number };
}

/**
 * Set-aside runs that are mostly head's (at least 2, and more than base's) may be the change itself (a cache
 * that now misses, a retry that now happens): such a cell is never called `unchanged`.
 */
export function farOutMostlyHead(farOut: { base: number; head: number } | undefined): boolean {
  return farOut !== undefined && farOut.head >= 2 && farOut.head > farOut.base;
}

/**
 * `regression`: q ≤ α, ratio ≥ 1 + min-change and the median grew by at least min-abs-ms.
 * `improvement`: the mirror image (q of the opposite one-sided test, ratio ≤ 1/(1 + min-change)).
 * `unchanged`: the upper end of the one-sided interval at the look-adjusted level is below 1 + min-change —
 * a slowdown that matters is ruled out — and the runs set aside as far-out are not mostly head's.
 * Otherwise `inconclusive`: more rounds could decide it.
 */
export function latencyVerdict(e: LatencyEvidence, gate: GateSettings, alpha: number): { verdict: CellVerdict; reason: string } {
  const threshold = 1 + gate.minChange;
  const change = percent(e.ratio - 1);
  const q = fmt(e.q);
  const growthMs = e.headMedianMs - e.baseMedianMs;
  if (e.q <= alpha && e.ratio >= threshold && growthMs >= gate.minAbsMs) {
    return { verdict: 'regression', reason: `q ${q} ≤ ${fmtAlpha(alpha)} and ${change} ≥ +${percent(gate.minChange, false)}` + absClause(growthMs, gate) };
  }
  if (e.qFaster <= alpha && e.ratio <= 1 / threshold && -growthMs >= gate.minAbsMs) {
    return { verdict: 'improvement', reason: `q (faster) ${fmt(e.qFaster)} ≤ ${fmtAlpha(alpha)} and ${change} ≤ −${percent(1 - 1 / threshold, false)}` };
  }
  const above = e.ruledOutAbove ?? e.ciHigh;
  if (above < threshold && !farOutMostlyHead(e.farOut)) {
    return { verdict: 'unchanged', reason: `a slowdown above ${percent(above - 1)} is ruled out (${boundText(e.boundLevel ?? 0.05)}), below +${percent(gate.minChange, false)}` };
  }
  if (above < threshold) {
    return { verdict: 'inconclusive', reason: `the median held, but ${e.farOut!.head} of the ${e.farOut!.head + e.farOut!.base} far-out runs set aside are head's: the slow tail may have grown` };
  }
  if (e.q <= alpha && e.ratio < threshold) {
    return { verdict: 'inconclusive', reason: `significant (q ${q}) but ${change} is below +${percent(gate.minChange, false)} and the interval reaches ${percent(e.ciHigh - 1)}` };
  }
  if (e.q <= alpha && e.ratio >= threshold) {
    return { verdict: 'inconclusive', reason: `q ${q} and ${change}, but the median grew by only ${fmt(growthMs)} ms < min-abs-ms ${gate.minAbsMs}` };
  }
  return { verdict: 'inconclusive', reason: `q ${q} > ${fmtAlpha(alpha)} and the 90% interval reaches ${percent(e.ciHigh - 1)}` };
}

export interface SuccessEvidence {
  q: number;
  pFewer: number;
  newFailures: number;
  /**
   * False while the adaptive loop can still run more rounds: a cell where head failed more runs than base,
   * short of significance, is then `inconclusive`, so it does not stop early on latency alone.
   */
  final: boolean;
}

/**
 * `regression` when q ≤ α (or, only when the user opted in, more new failures than `max-new-failures`);
 * `improvement` when head fails significantly less. Head failing more runs than base without significance
 * is `inconclusive` before the last look (more rounds can settle it) and `unchanged` at the last one.
 */
export function successVerdict(e: SuccessEvidence, gate: GateSettings, alpha: number): { verdict: CellVerdict; reason: string } {
  const plural = e.newFailures === 1 ? '' : 's';
  if (gate.maxNewFailures !== null && e.newFailures > gate.maxNewFailures) {
    return { verdict: 'regression', reason: `${e.newFailures} new failure${plural} > max-new-failures ${gate.maxNewFailures}` };
  }
  if (e.q <= alpha) return { verdict: 'regression', reason: `q ${fmt(e.q)} ≤ ${fmtAlpha(alpha)}: head fails more often` };
  if (e.pFewer <= alpha) return { verdict: 'improvement', reason: `p (fewer failures) ${fmt(e.pFewer)} ≤ ${fmtAlpha(alpha)}` };
  if (e.newFailures > 0 && !e.final) {
    return { verdict: 'inconclusive', reason: `${e.newFailures} new failure${plural}, q ${fmt(e.q)} > ${fmtAlpha(alpha)}: more rounds can settle it` };
  }
  const guard = gate.maxNewFailures !== null ? ` and ${e.newFailures} new failure${plural} ≤ ${gate.maxNewFailures}` : e.newFailures > 0 ? ` (${e.newFailures} new failure${plural}, within chance)` : '';
  return { verdict: 'unchanged', reason: `q ${fmt(e.q)} > ${fmtAlpha(alpha)}${guard}` };
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

/** "95% one-sided bound" or "97.8% one-sided bound, adjusted for the looks". */
export const boundText = lastKept((level: number): string => {
  const confidence = Number(((1 - level) * 100).toFixed(1));
  return Math.abs(level - 0.05) < 1e-12 ? `${confidence}% bound` : `${confidence}% bound, adjusted for the looks`;
});

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
  // q = 1 (a test outside the family) is the most common value of all: no toPrecision for it.
  if (x === 1) return '1';
  if (Math.abs(x) >= 100) return String(Math.round(x));
  return Number(x.toPrecision(2)).toString();
}

/** fmt of α, which is the same for every cell of a look: formatted once, not once per cell. */
const fmtAlpha = lastKept(fmt);

/**
 * `format` with its last answer kept: the verdicts of 100,000 cells print the same α and bound level
 * 100,000 times, and toPrecision/toFixed were a few percent of the comparison.
 */
function lastKept(format: (x: number) => string): (x: number) => string {
  let last = NaN;
  let text = '';
  return (x) => {
    if (!Object.is(x, last)) {
      text = format(x);
      last = x;
    }
    return text;
  };
}
