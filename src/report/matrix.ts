/**
 * The experiment's matrix as every renderer lays it out: rows are inputs in config order, columns are
 * variants in task order, plus the naming and counting the renderers share ("pirouette × Wide shot",
 * "6 / 6 cells (6 ok)").
 */
import { truncate } from './escape.js';
import type { SpanComparison, CellReport, Report, SideSummary } from './model.js';

export interface MatrixRow {
  input: { id: string; prompt: string };
  /** One entry per column; undefined where the cell has no data. */
  cells: (CellReport | undefined)[];
}

export interface Matrix {
  columns: { id: string; label: string }[];
  rows: MatrixRow[];
}

/**
 * Inputs × variants in config order. Inputs and variants that appear only in the cells (e.g. removed
 * from the config since base) are appended after the configured ones so nothing is silently dropped.
 */
export function buildMatrix(report: Report): Matrix {
  const columns = [...report.experiment.dimension.variants];
  const inputs = [...report.experiment.inputs];
  // Sets, not a search per cell: linear in cells for matrices of 100,000 cells.
  const columnIds = new Set(columns.map((c) => c.id));
  const inputIds = new Set(inputs.map((i) => i.id));
  for (const cell of report.cells) {
    if (!columnIds.has(cell.variant)) {
      columnIds.add(cell.variant);
      columns.push({ id: cell.variant, label: cell.variant });
    }
    if (!inputIds.has(cell.input)) {
      inputIds.add(cell.input);
      inputs.push({ id: cell.input, prompt: '' });
    }
  }
  const byKey = new Map(report.cells.map((cell) => [`${cell.input}\u0000${cell.variant}`, cell]));
  return {
    columns,
    rows: inputs.map((input) => ({
      input,
      cells: columns.map((column) => byKey.get(`${input.id}\u0000${column.id}`)),
    })),
  };
}

/** The variant's label from the experiment, or its id when the experiment does not list it. */
export function variantLabel(report: Report, variantId: string): string {
  let labels = labelsOf.get(report.experiment);
  if (!labels) {
    labels = new Map();
    for (const v of report.experiment.dimension.variants) if (!labels.has(v.id)) labels.set(v.id, v.label);
    labelsOf.set(report.experiment, labels);
  }
  return labels.get(variantId) ?? variantId;
}

/** Characters of an input id or a variant label in a cell's name. */
export const NAME_CHARS = 60;
/** Variant id → label per experiment, so naming every cell stays linear. */
const labelsOf = new WeakMap<Report['experiment'], Map<string, string>>();

/** A cell's name in prose: "pirouette × Wide shot" (input id × variant label), unescaped. */
export function cellName(report: Report, cell: CellReport): string {
  // Ids and labels come from the config (or an artifact): a name stays short enough for any headline.
  return `${truncate(cell.input, NAME_CHARS)} × ${truncate(variantLabel(report, cell.variant), NAME_CHARS)}`;
}

/** A side is complete when it ran and every counted run completed. */
export function sideComplete(side: SideSummary): boolean {
  return side.runs > 0 && side.ok === side.runs;
}

/**
 * A cell is "ok" when both of its sides ran and every run on both sides completed (a cell only on one
 * side, added or removed, is ok when that side is complete).
 */
export function cellOk(cell: CellReport): boolean {
  if (cell.presence === 'added') return sideComplete(cell.head);
  if (cell.presence === 'removed') return sideComplete(cell.base);
  return sideComplete(cell.base) && sideComplete(cell.head);
}

export interface Progress {
  /** Cells in the matrix (configured inputs × variants, or more when cells were added/removed). */
  total: number;
  /** Cells with at least one run on a side they exist on. */
  ran: number;
  /** Cells whose runs all completed on both sides (see `cellOk`). */
  ok: number;
}

/** How far the experiment got, for "6 / 6 cells (6 ok)". */
export function progress(report: Report): Progress {
  const configured = report.experiment.inputs.length * report.experiment.dimension.variants.length;
  const ran = report.cells.filter((c) => c.base.runs + c.head.runs > 0).length;
  return {
    total: Math.max(configured, report.cells.length, report.summary.cells),
    ran,
    ok: report.cells.filter(cellOk).length,
  };
}

/** "6 / 6 cells (6 ok)". */
export function progressText(report: Report): string {
  const p = progress(report);
  return `${p.ran} / ${p.total} cells (${p.ok} ok)`;
}

/** Whether the latency test says the head got slower. */
export function isLatencyRegression(cell: CellReport): boolean {
  return cell.latency?.verdict === 'regression';
}

/** Whether the success-rate test (or the new-failure guard rail) says the head fails more. */
export function isSuccessRegression(cell: CellReport): boolean {
  return cell.success?.verdict === 'regression';
}

/** Cells with any regression, worst latency ratio first, then success regressions, stable otherwise. */
export function regressedCells(report: Report): CellReport[] {
  return report.cells
    .map((cell, index) => ({ cell, index, rank: regressionRank(cell) }))
    .filter((x): x is { cell: CellReport; index: number; rank: number } => x.rank !== null)
    .sort((a, b) => b.rank - a.rank || a.index - b.index)
    .map((x) => x.cell);
}

/** How bad a cell's regression is, for "worst first": its latency ratio, 0 for other regressions, null for none. */
export function regressionRank(cell: CellReport | undefined): number | null {
  if (!cell || !(cell.verdict === 'regression' || isLatencyRegression(cell) || isSuccessRegression(cell))) return null;
  return isLatencyRegression(cell) ? (cell.latency?.ratio ?? 0) : 0;
}

/**
 * Cells in order of concern, for renderers that cannot show them all: regressions worst first, then
 * inconclusive cells, then the rest, each group in report order.
 */
export function byConcern<T>(items: readonly T[], cellOf: (item: T) => CellReport): T[] {
  const group = (cell: CellReport) => (regressionRank(cell) !== null ? 0 : cell.verdict === 'inconclusive' ? 1 : 2);
  return items
    .map((item, index) => ({ item, index, cell: cellOf(item) }))
    .sort((a, b) => group(a.cell) - group(b.cell) || (regressionRank(b.cell) ?? 0) - (regressionRank(a.cell) ?? 0) || a.index - b.index)
    .map(({ item }) => item);
}

const byCriticalDelta = (a: SpanComparison, b: SpanComparison) =>
  b.criticalDeltaMs - a.criticalDeltaMs || b.deltaMs - a.deltaMs || a.path.localeCompare(b.path);

/** An operation named as a cause: a span judged a regression, with its largest-growing descendant. */
export interface Cause {
  span: SpanComparison;
  /** The deeper span (usually from fine attribution runs) that grew most inside it, when one grew. */
  within?: SpanComparison;
}

/** A cause must explain at least this share of the cell's growth of median latency. */
export const MIN_CAUSE_SHARE = 0.1;

/**
 * The operations that explain a cell's change: only spans whose own comparison is a regression (so
 * noise in unchanged stages is never named) and that add at least MIN_CAUSE_SHARE of the cell's growth
 * to the critical path (a real but tiny slowdown explains nothing), largest increase first. A path whose
 * ancestor is already a cause is shown as that cause's `within`, not as a second cause.
 */
export function causes(cell: CellReport): Cause[] {
  const growthMs = cell.base.medianMs !== null && cell.head.medianMs !== null ? cell.head.medianMs - cell.base.medianMs : 0;
  const material = (s: SpanComparison) => growthMs <= 0 || s.criticalDeltaMs >= MIN_CAUSE_SHARE * growthMs;
  const regressed = cell.spans.filter((s) => s.verdict === 'regression' && material(s)).sort(byCriticalDelta);
  const isUnder = (s: SpanComparison, parent: SpanComparison) => s.path.startsWith(`${parent.path}/`);
  // The deepest regressed spans explain best: an ancestor that only regressed through them is implied.
  const leaves = regressed.filter((s) => !regressed.some((other) => other !== s && isUnder(other, s)));
  return leaves.map((span) => {
    const within = cell.spans.filter((s) => isUnder(s, span) && s.criticalDeltaMs > 0).sort(byCriticalDelta)[0];
    return within ? { span, within } : { span };
  });
}

/** "new" for an operation only head has, "removed" for one only base has (DESIGN §4: absent = 0 ms). */
export function presenceWord(span: SpanComparison): 'new' | 'removed' | undefined {
  return span.presence === 'head-only' ? 'new' : span.presence === 'base-only' ? 'removed' : undefined;
}

/** A span's time on one side for the tables: "absent" where the path never ran (compared as 0 ms). */
export function spanSideMs(span: SpanComparison, side: 'base' | 'head', format: (ms: number) => string): string {
  const absent = side === 'base' ? span.presence === 'head-only' : span.presence === 'base-only';
  return absent ? 'absent' : format(side === 'base' ? span.baseMs : span.headMs);
}

/**
 * Spans for the detail tables: the causes and what grew inside them first, then the rest ranked by how
 * much they added to the critical path.
 */
export function topSpans(cell: CellReport, count: number): CellReport['spans'] {
  const first = causes(cell).flatMap((c) => (c.within ? [c.span, c.within] : [c.span]));
  const rest = [...cell.spans].filter((s) => !first.includes(s)).sort(byCriticalDelta);
  return [...first, ...rest].slice(0, count);
}
