/**
 * Span comparison of one cell (DESIGN §4, issue 4 item 6): for every span path, the same test as latency
 * on the per-run total time, the change of critical-path time, and a Benjamini–Hochberg q within the
 * cell. Spans are reported, never gated: they explain a latency change, so they stay out of the PR's
 * multiplicity family.
 *
 * A path seen on one side only (a new operation in head, or one head removed) is compared with absent =
 * 0 ms: every run of the other side, and every run of its own side that lacks it, counts 0 ms. Its ratio
 * is undefined, so it is judged on the absolute shift in ms (absolute-shift.ts) and marked `presence`.
 * A path seen on both sides is compared over the runs that have it, as before.
 */
import type { RunLine } from '../results/format.js';
import type { CellVerdict, SpanComparison } from '../report/model.js';
import { benjaminiHochberg } from '../stats/benjamini-hochberg.js';
import { absoluteVerdict, testAbsoluteShift } from './absolute-shift.js';
import type { SpanPathMetrics } from '../traces/span.js';
import { median, pairByRound, type CellRuns } from './cells.js';
import type { GateSettings } from './settings.js';
import { roundsShareNoise, testShift, type ShiftSamples } from './shift-test.js';
import { latencyVerdict } from './verdict.js';

export type SpanMetricsOf = (runId: string) => SpanPathMetrics[] | undefined;

/** A path absent from a run that has span data: 0 ms, off the critical path. */
const ABSENT: SpanPathMetrics = { path: '', name: '', count: 0, totalMs: 0, selfMs: 0, criticalMs: 0, onCriticalPath: false, errors: 0 };

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
  const baseLatencies = cell.base.filter((r) => r.status === 'completed' && r.latencyMs !== null).map((r) => r.latencyMs!);
  const cellBaseMedianMs = baseLatencies.length > 0 ? median(baseLatencies) : null;
  for (const source of spanSources(cell, metricsOf)) {
    const known = new Set(compared.map((c) => c.path));
    for (const comparison of compareSpanSource(source, metricsOf, gate, known, cellBaseMedianMs)) compared.push(comparison);
  }
  return compared.sort((a, b) => b.criticalDeltaMs - a.criticalDeltaMs || b.deltaMs - a.deltaMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** Compares every path of one source that is not already in `skip`; BH within the source. */
function compareSpanSource(runs: SpanRuns, metricsOf: SpanMetricsOf, gate: GateSettings, skip: Set<string>, cellBaseMedianMs: number | null): SpanComparison[] {
  if (runs.base.length === 0 || runs.head.length === 0) return [];
  const index = (list: RunLine[]) => new Map(list.map((r) => [r.id, new Map((metricsOf(r.id) ?? []).map((m) => [m.path, m]))]));
  const base = index(runs.base);
  const head = index(runs.head);
  const pathsOf = (side: Map<string, Map<string, SpanPathMetrics>>) => new Set([...side.values()].flatMap((m) => [...m.keys()]));
  const basePaths = pathsOf(base);
  const headPaths = pathsOf(head);
  const paths = [...new Set([...basePaths, ...headPaths])].filter((p) => !skip.has(p)).sort();
  // Whether the rounds share noise is a property of the rounds, read (as for the cell) from the runs' latency;
  // every path then uses the same test. Read per path, a stage's own ordering would decide instead.
  const pairing = pairByRound(runs.base, runs.head);
  const shared = pairing.paired && roundsShareNoise(pairing.pairs.map((p) => ({ base: p.base.latencyMs!, head: p.head.latencyMs! }))).shared;

  const rows = paths.map((path) => {
    const presence: SpanComparison['presence'] = !basePaths.has(path) ? 'head-only' : !headPaths.has(path) ? 'base-only' : undefined;
    // One-sided: every run counts, 0 ms where the path is absent. Both sides: the runs that have it.
    const metricOf = (side: Map<string, Map<string, SpanPathMetrics>>, run: RunLine) => side.get(run.id)!.get(path) ?? (presence ? ABSENT : undefined);
    const baseMetrics = runs.base.map((r) => metricOf(base, r)).filter((m) => m !== undefined);
    const headMetrics = runs.head.map((r) => metricOf(head, r)).filter((m) => m !== undefined);
    const samples: ShiftSamples = shared
      ? {
          paired: true,
          pairs: pairing.pairs.flatMap((p) => {
            const b = metricOf(base, p.base);
            const h = metricOf(head, p.head);
            return b && h ? [{ base: b.totalMs, head: h.totalMs }] : [];
          }),
        }
      : { paired: false, base: baseMetrics.map((m) => m.totalMs), head: headMetrics.map((m) => m.totalMs) };
    const present = [...headMetrics, ...baseMetrics].filter((m) => m !== ABSENT);
    const sample = present[0]!;
    const headPresent = headMetrics.filter((m) => m !== ABSENT);
    const onCriticalSide = headPresent.length > 0 ? headPresent : baseMetrics.filter((m) => m !== ABSENT);
    const onCritical = onCriticalSide.filter((m) => m.onCriticalPath).length * 2 >= onCriticalSide.length;
    return {
      path,
      name: sample.name,
      presence,
      baseMs: median(baseMetrics.map((m) => m.totalMs)),
      headMs: median(headMetrics.map((m) => m.totalMs)),
      criticalDeltaMs: median(headMetrics.map((m) => m.criticalMs)) - median(baseMetrics.map((m) => m.criticalMs)),
      onCriticalPath: onCritical,
      code: present.find((m) => m.code)?.code,
      test: presence ? null : testShift(samples),
      absolute: presence ? testAbsoluteShift(samples) : null,
    };
  });

  const tested = rows.flatMap((r) => {
    const test = r.test ?? r.absolute;
    return test ? [{ path: r.path, p: test.p, pFaster: test.pFaster }] : [];
  });
  const q = benjaminiHochberg(tested.map((r) => r.p));
  const qFaster = benjaminiHochberg(tested.map((r) => r.pFaster));
  const qOf = new Map(tested.map((r, i) => [r.path, { q: q[i]!, qFaster: qFaster[i]! }]));

  const comparisons = rows.map((row): SpanComparison => {
    const adjusted = qOf.get(row.path);
    // A path on one side only has no ratio: its effect is the absolute shift (deltaMs).
    const ratio = row.presence ? null : (row.test?.ratio ?? (row.baseMs > 0 ? row.headMs / row.baseMs : 1));
    let verdict: CellVerdict = 'inconclusive';
    if (row.absolute && adjusted) {
      verdict = absoluteVerdict({ test: row.absolute, ...adjusted }, cellBaseMedianMs, gate);
    } else if (row.test && adjusted && ratio !== null) {
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
      p: (row.test ?? row.absolute)?.p ?? null,
      q: adjusted?.q ?? null,
      onCriticalPath: row.onCriticalPath,
      verdict,
      ...(row.presence ? { presence: row.presence } : {}),
      ...(row.code ? { code: row.code } : {}),
      granularity: runs.granularity,
    };
  });
  return comparisons;
}
