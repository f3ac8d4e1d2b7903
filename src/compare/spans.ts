/**
 * Span comparison of one cell (DESIGN §4, issue 4 item 6): for every span path present on both sides,
 * the same test as latency on the per-run total time, the change of critical-path time, and a
 * Benjamini–Hochberg q within the cell. Spans are reported, never gated: they explain a latency change,
 * so they stay out of the PR's multiplicity family.
 */
import type { RunLine } from '../results/format.js';
import type { CellVerdict, SpanComparison } from '../report/model.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import type { SpanPathMetrics } from '../traces/span.js';
import { median, pairByRound, type CellRuns } from './cells.js';
import type { GateSettings } from './settings.js';
import { testShift, type ShiftSamples } from './shift-test.js';
import { latencyVerdict } from './verdict.js';

export type SpanMetricsOf = (runId: string) => SpanPathMetrics[] | undefined;

/**
 * Picks the runs whose spans describe the cell: fine attribution re-runs when both sides have span
 * metrics for them, else the counted runs.
 */
function spanRuns(cell: CellRuns, metricsOf: SpanMetricsOf): { base: RunLine[]; head: RunLine[]; granularity: 'coarse' | 'fine' } {
  const withMetrics = (runs: RunLine[]) => runs.filter((r) => r.status === 'completed' && (metricsOf(r.id)?.length ?? 0) > 0);
  const fine = { base: withMetrics(cell.attribution.base), head: withMetrics(cell.attribution.head) };
  if (fine.base.length > 0 && fine.head.length > 0) return { ...fine, granularity: 'fine' };
  const base = withMetrics(cell.base);
  const head = withMetrics(cell.head);
  const allFine = [...base, ...head].length > 0 && [...base, ...head].every((r) => r.granularity === 'fine');
  return { base, head, granularity: allFine ? 'fine' : 'coarse' };
}

export function compareCellSpans(cell: CellRuns, metricsOf: SpanMetricsOf, gate: GateSettings): SpanComparison[] {
  const runs = spanRuns(cell, metricsOf);
  if (runs.base.length === 0 || runs.head.length === 0) return [];
  const index = (list: RunLine[]) => new Map(list.map((r) => [r.id, new Map((metricsOf(r.id) ?? []).map((m) => [m.path, m]))]));
  const base = index(runs.base);
  const head = index(runs.head);
  const pathsOf = (side: Map<string, Map<string, SpanPathMetrics>>) => new Set([...side.values()].flatMap((m) => [...m.keys()]));
  const headPaths = pathsOf(head);
  const paths = [...pathsOf(base)].filter((p) => headPaths.has(p)).sort();
  const pairing = pairByRound(runs.base, runs.head);

  const rows = paths.map((path) => {
    const baseMetrics = runs.base.map((r) => base.get(r.id)!.get(path)).filter((m) => m !== undefined);
    const headMetrics = runs.head.map((r) => head.get(r.id)!.get(path)).filter((m) => m !== undefined);
    const samples: ShiftSamples = pairing.paired
      ? {
          paired: true,
          pairs: pairing.pairs.flatMap((p) => {
            const b = base.get(p.base.id)!.get(path);
            const h = head.get(p.head.id)!.get(path);
            return b && h ? [{ base: b.totalMs, head: h.totalMs }] : [];
          }),
        }
      : { paired: false, base: baseMetrics.map((m) => m.totalMs), head: headMetrics.map((m) => m.totalMs) };
    const test = testShift(samples);
    const sample = headMetrics[0] ?? baseMetrics[0]!;
    const onCritical = headMetrics.filter((m) => m.onCriticalPath).length * 2 >= headMetrics.length;
    return {
      path,
      name: sample.name,
      baseMs: median(baseMetrics.map((m) => m.totalMs)),
      headMs: median(headMetrics.map((m) => m.totalMs)),
      criticalDeltaMs: median(headMetrics.map((m) => m.criticalMs)) - median(baseMetrics.map((m) => m.criticalMs)),
      onCriticalPath: onCritical,
      code: headMetrics.find((m) => m.code)?.code ?? baseMetrics.find((m) => m.code)?.code,
      test,
    };
  });

  const tested = rows.filter((r) => r.test !== null);
  const q = benjaminiHochberg(tested.map((r) => r.test!.p));
  const qFaster = benjaminiHochberg(tested.map((r) => r.test!.pFaster));
  const qOf = new Map(tested.map((r, i) => [r.path, { q: q[i]!, qFaster: qFaster[i]! }]));

  const comparisons = rows.map((row): SpanComparison => {
    const adjusted = qOf.get(row.path);
    const ratio = row.test?.ratio ?? (row.baseMs > 0 ? row.headMs / row.baseMs : 1);
    let verdict: CellVerdict = 'inconclusive';
    if (row.test && adjusted) {
      verdict = latencyVerdict(
        { ratio, ciLow: row.test.ciLow, ciHigh: row.test.ciHigh, q: adjusted.q, qFaster: adjusted.qFaster, baseMedianMs: row.baseMs, headMedianMs: row.headMs },
        gate,
        gate.alpha,
      ).verdict;
    }
    return {
      path: row.path,
      name: row.name,
      baseMs: row.baseMs,
      headMs: row.headMs,
      deltaMs: row.headMs - row.baseMs,
      ratio,
      criticalDeltaMs: row.criticalDeltaMs,
      p: row.test?.p ?? null,
      q: adjusted?.q ?? null,
      onCriticalPath: row.onCriticalPath,
      verdict,
      ...(row.code ? { code: row.code } : {}),
      granularity: runs.granularity,
    };
  });
  return comparisons.sort((a, b) => b.criticalDeltaMs - a.criticalDeltaMs || b.deltaMs - a.deltaMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
