import { coarseKeepingModelSpans, hasGenAiMarker } from './model-spans.js';
import type { Span } from './span.js';

interface HeldRun {
  /** Spans waiting until the root is known. */
  pending: Span[];
  /** Ids of the root(s) once known; then children of these pass straight through. */
  roots: Set<string> | null;
  /** Parents of model spans kept after the root was known: they are kept too when they arrive. */
  wanted: Set<string>;
}

/**
 * Enforces granularity `coarse` on spans as they arrive. Children end, and are exported, before their
 * parents, so a span's depth is unknown until the root arrives: spans are held per run until the root
 * arrives (a span without a parent, or whose parent is the run's TRACEPARENT span) or the run is flushed.
 * Then the root and its direct children are delivered and deeper spans dropped, except model spans
 * (GenAI attributes) and their ancestors, which carry the run's model time; later spans pass only if
 * their parent is a root, or they are a model span or the awaited parent of one.
 */
export class CoarseRuns {
  private readonly runs = new Map<string, HeldRun>();

  constructor(
    private readonly deliver: (runId: string, spans: Span[]) => void,
    private readonly drop: (count: number) => void,
    /** The span id a run's TRACEPARENT names as parent: a span with that parent is the run's root. */
    private readonly remoteParentOf: (runId: string) => string | undefined = () => undefined,
    /** Spans kept at any depth with their ancestors: they carry the run's model time. */
    private readonly isModelSpan: (span: Span) => boolean = hasGenAiMarker,
  ) {}

  add(runId: string, spans: Span[]): void {
    let run = this.runs.get(runId);
    if (!run) this.runs.set(runId, (run = { pending: [], roots: null, wanted: new Set() }));
    if (run.roots) {
      const { roots, wanted } = run;
      const kept = spans.filter((s) => {
        if (s.parentSpanId !== null && roots.has(s.parentSpanId)) return true;
        // Model spans are kept at any depth (model time), with the ancestors that arrive after them.
        if (!this.isModelSpan(s) && !wanted.delete(s.spanId)) return false;
        if (s.parentSpanId !== null && !roots.has(s.parentSpanId)) wanted.add(s.parentSpanId);
        return true;
      });
      this.drop(spans.length - kept.length);
      this.deliver(runId, kept);
      return;
    }
    for (const span of spans) run.pending.push(span);
    const remoteParent = this.remoteParentOf(runId);
    if (spans.some((s) => s.parentSpanId === null || s.parentSpanId === remoteParent)) this.flush(runId);
  }

  /** Delivers the held spans of `runId` filtered to root + direct children; later spans are filtered on arrival. */
  flush(runId: string): void {
    const run = this.runs.get(runId);
    if (!run || run.pending.length === 0) return;
    const kept = coarseKeepingModelSpans(run.pending, this.isModelSpan);
    const keptIds = new Set(kept.map((s) => s.spanId));
    run.roots = new Set(kept.filter((s) => s.parentSpanId === null || !keptIds.has(s.parentSpanId)).map((s) => s.spanId));
    this.drop(run.pending.length - kept.length);
    run.pending = [];
    this.deliver(runId, kept);
  }

  flushAll(): void {
    for (const runId of this.runs.keys()) this.flush(runId);
  }
}
