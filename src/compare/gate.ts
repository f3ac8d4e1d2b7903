/** The gate's outcome: the exit status of DESIGN §6 and the one-sentence verdict every renderer leads with. */
import type { CellReport, Report } from '../report/model.js';

/** 1 when the gate failed, 0 otherwise (inconclusive passes unless fail-on says so; that is already in the verdict). */
export function exitCodeFor(report: Report): 0 | 1 {
  return report.verdict === 'fail' ? 1 : 0;
}

/**
 * One plain-text sentence, e.g. "1 latency regression: pirouette × Wide shot +23% (8.1 s → 10.0 s)",
 * "No regression in 6 cells" or "2 cells inconclusive after 20 rounds". Renderers escape it.
 */
export function headline(report: Report): string {
  const compared = report.cells.filter((c) => c.presence === 'both');
  const labelOf = new Map(report.experiment.dimension.variants.map((v) => [v.id, v.label]));
  const name = (c: CellReport) => `${c.input} × ${labelOf.get(c.variant) ?? c.variant}`;
  const latency = compared.filter((c) => c.latency?.verdict === 'regression');
  const success = compared.filter((c) => c.success?.verdict === 'regression');
  const pooledOnly = report.pooledSuccess?.verdict === 'regression' && success.length === 0;
  const parts: string[] = [];
  if (latency.length > 0) {
    const shown = latency.slice(0, 2).map((c) => `${name(c)} ${wholePercent(c.latency!.ratio - 1)} (${duration(c.base.medianMs)} → ${duration(c.head.medianMs)})`);
    parts.push(`${plural(latency.length, 'latency regression')}: ${shown.join(', ')}${more(latency.length, 2)}`);
  }
  if (success.length > 0) {
    const shown = success.slice(0, 2).map((c) => `${name(c)} ${c.success!.base.ok}/${c.success!.base.total} → ${c.success!.head.ok}/${c.success!.head.total} completed`);
    parts.push(`${plural(success.length, 'success-rate regression')}: ${shown.join(', ')}${more(success.length, 2)}`);
  }
  if (pooledOnly) {
    const p = report.pooledSuccess!;
    parts.push(`success rate over the matrix fell: ${p.base.ok}/${p.base.total} → ${p.head.ok}/${p.head.total} completed`);
  }
  if (parts.length > 0) return parts.join('; ');
  if (compared.length === 0) return 'Nothing to compare: no cell has runs on both sides';
  const inconclusive = compared.filter((c) => c.verdict === 'inconclusive');
  if (inconclusive.length > 0) {
    const rounds = Math.max(...inconclusive.map((c) => c.rounds));
    const others = compared.length - inconclusive.length;
    return `${plural(inconclusive.length, 'cell')} inconclusive after ${plural(rounds, 'round')}${others > 0 ? `, no regression in the other ${others}` : ''}`;
  }
  const improved = compared.filter((c) => c.verdict === 'improvement').length;
  return `No regression in ${plural(compared.length, 'cell')}${improved > 0 ? ` (${improved} improved)` : ''}`;
}

/** "+23%": the headline is read at a glance; the report keeps full precision. */
function wholePercent(fraction: number): string {
  const value = Math.round(fraction * 100);
  return value > 0 ? `+${value}%` : value < 0 ? `−${-value}%` : '0%';
}

function plural(n: number, word: string): string {
  return `${n} ${n === 1 ? word : `${word}s`}`;
}

function more(total: number, shown: number): string {
  return total > shown ? ` and ${total - shown} more` : '';
}

/** "812 ms" below a second, "8.1 s" above. */
export function duration(ms: number | null): string {
  if (ms === null) return 'n/a';
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
