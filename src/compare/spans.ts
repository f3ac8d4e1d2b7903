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
import { roundsShareNoise, testShift, type ShiftSamples } from './shift-test.js';
import { latencyVerdict } from './verdict.js';

export type SpanMetricsOf = (runId: string) => SpanPathMetrics[] | undefined;

interface SpanRuns {
  base: RunLine[];
  head: RunLine[];
  granularity: 'coarse' | 'fine';
}

const withMetrics = (runs: RunLine[], metricsOf: SpanMetricsOf) =>
  runs.filter((r) => r.status === 'completed' && (metricsOf(r.id)?.length ?? 0) > 0);

/**
 * The two sources of span data for a cell. Counted runs have every round, so they decide the paths they
 * carry (the stages, at coarse granularity); fine attribution re-runs are few, so they only add the
 * deeper paths the counted runs lack, as detail inside a stage.
 */
function spanSources(cell: CellRuns, metricsOf: SpanMetricsOf): SpanRuns[] {
  const counted = { base: withMetrics(cell.base, metricsOf), head: withMetrics(cell.head, metricsOf) };
  const fine = { base: withMetrics(cell.attribution.base, metricsOf), head: withMetrics(cell.attribution.head, metricsOf) };
  const all = [...counted.base, ...counted.head];
  const countedGranularity = all.length > 0 && all.every((r) => r.granularity === 'fine') ? 'fine' : 'coarse';
  return [
    { ...counted, granularity: countedGranularity },
    { ...fine, granularity: 'fine' },
  ];
}

export function compareCellSpans(cell: CellRuns, metricsOf: SpanMetricsOf, gate: GateSettings): SpanComparison[] {
  const compared: SpanComparison[] = [];
  for (const source of spanSources(cell, metricsOf)) {
    const known = new Set(compared.map((c) => c.path));
    for (const comparison of compareSpanSource(source, metricsOf, gate, known)) compared.push(comparison);
  }
  return compared.sort((a, b) => b.criticalDeltaMs - a.criticalDeltaMs || b.deltaMs - a.deltaMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Compares every path on both sides of one source that is not already in `skip`; BH within the source. */
function compareSpanSource(runs: SpanRuns, metricsOf: SpanMetricsOf, gate: GateSettings, skip: Set<string>): SpanComparison[] {
  if (runs.base.length === 0 || runs.head.length === 0) return [];
  const index = (list: RunLine[]) => new Map(list.map((r) => [r.id, new Map((metricsOf(r.id) ?? []).map((m) => [m.path, m]))]));
  const base = index(runs.base);
  const head = index(runs.head);
  const pathsOf = (side: Map<string, Map<string, SpanPathMetrics>>) => new Set([...side.values()].flatMap((m) => [...m.keys()]));
  const headPaths = pathsOf(head);
  const paths = [...pathsOf(base)].filter((p) => headPaths.has(p) && !skip.has(p)).sort();
  // Whether the rounds share noise is a property of the rounds, read (as for the cell) from the runs' latency;
  // every path then uses the same test. Read per path, a stage's own ordering would decide instead.
  const pairing = pairByRound(runs.base, runs.head);
  const shared = pairing.paired && roundsShareNoise(pairing.pairs.map((p) => ({ base: p.base.latencyMs!, head: p.head.latencyMs! }))).shared;

  const rows = paths.map((path) => {
    const baseMetrics = runs.base.map((r) => base.get(r.id)!.get(path)).filter((m) => m !== undefined);
    const headMetrics = runs.head.map((r) => head.get(r.id)!.get(path)).filter((m) => m !== undefined);
    const samples: ShiftSamples = shared
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
  return comparisons;
}
