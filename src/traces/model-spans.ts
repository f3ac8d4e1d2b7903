/**
 * Model spans (DESIGN §4): the time a run spends waiting for a model or provider, which the team does not
 * control. A span is a model span when it carries an OpenTelemetry GenAI attribute naming the operation
 * or the provider (`gen_ai.operation.name`, `gen_ai.provider.name`, or the older `gen_ai.system`), or
 * when its name matches one of `tracing.model-spans`. Model time is the critical-path time spent inside
 * model spans (their descendants included); own time is the run's latency minus it.
 */
import { analyzeRun, coarseFilter, type SpanNode } from './analyze.js';
import type { Span } from './span.js';

/** Attributes that mark a span as a model call (OpenTelemetry semantic conventions for GenAI). */
export const GEN_AI_MARKERS = ['gen_ai.operation.name', 'gen_ai.provider.name', 'gen_ai.system'] as const;

export type SpanPredicate = (span: Span) => boolean;

/** Whether the span carries one of the GenAI attributes that name a model operation or provider. */
export function hasGenAiMarker(span: Span): boolean {
  for (const key of GEN_AI_MARKERS) {
    const value = span.attributes[key];
    if (value !== undefined && value !== null && value !== '') return true;
  }
  return false;
}

/**
 * A matcher for span names: `*` matches any run of characters, `?` one character, everything else
 * itself. Compiled once to a RegExp with no nested quantifiers, so matching stays linear.
 */
export function nameGlob(pattern: string): (name: string) => boolean {
  const source = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*+/g, '.*').replace(/\?/g, '.');
  const regex = new RegExp(`^${source}$`, 's');
  return (name) => regex.test(name);
}

/** GenAI-marked spans, plus spans whose name matches one of `globs` (tracing.model-spans). */
export function modelSpanPredicate(globs: readonly string[]): SpanPredicate {
  const matchers = globs.map(nameGlob);
  if (matchers.length === 0) return hasGenAiMarker;
  return (span) => hasGenAiMarker(span) || matchers.some((m) => m(span.name));
}

/**
 * Model time of one run: the critical-path time (ms) inside model spans and everything below them, or
 * null when the run has no model span. A model span nested in another counts once (the outer one holds
 * it); model calls running in parallel count only where they are on the critical path. The tree is
 * walked with an explicit stack: an input controls its depth.
 */
export function modelCriticalMs(spans: readonly Span[], isModel: SpanPredicate): number | null {
  if (!spans.some(isModel)) return null;
  const [root] = analyzeRun(spans).roots;
  if (!root) return null;
  let total = 0;
  const stack: { node: SpanNode; inside: boolean }[] = [{ node: root, inside: false }];
  while (stack.length > 0) {
    const { node, inside } = stack.pop()!;
    const nowInside = inside || isModel(node.span);
    if (nowInside) total += node.criticalMs;
    for (const child of node.children) stack.push({ node: child, inside: nowInside });
  }
  return total;
}

/**
 * Granularity `coarse` that keeps model spans: the root and its direct children (coarseFilter), plus
 * every model span at any depth and its ancestors, so model time survives coarse runs and the tree stays
 * whole (no orphan). Original order is kept. `isModel` defaults to GenAI-marked spans; the runner passes
 * the config's predicate (tracing.model-spans) to the receiver and the trace-file reader.
 */
export function coarseKeepingModelSpans(spans: readonly Span[], isModel: SpanPredicate = hasGenAiMarker): Span[] {
  const kept = coarseFilter(spans);
  if (kept.length === spans.length || !spans.some(isModel)) return kept;
  const keep = new Set<Span>(kept);
  const byId = new Map<string, Span>();
  for (const span of spans) if (!byId.has(span.spanId)) byId.set(span.spanId, span);
  for (const span of spans) {
    if (!isModel(span) || keep.has(span)) continue;
    // Up to the first ancestor already kept; a cycle stops at a span seen before.
    for (let at: Span | undefined = span; at && !keep.has(at); at = at.parentSpanId === null ? undefined : byId.get(at.parentSpanId)) keep.add(at);
  }
  return spans.filter((span) => keep.has(span));
}
