/** A span after normalization, whatever format it arrived in (DESIGN §4). */
export interface Span {
  traceId: string; // 32 lowercase hex
  spanId: string; // 16 lowercase hex
  parentSpanId: string | null;
  name: string;
  /** Nanoseconds since the epoch; bigint so times past 2^53 keep every digit. */
  startNs: bigint;
  endNs: bigint;
  status: 'unset' | 'ok' | 'error';
  attributes: Record<string, unknown>;
  /** From the resource, when the format carries one (OTLP). */
  resource?: Record<string, unknown>;
  /** Source location from code.file.path / code.filepath, code.line.number / code.lineno, code.function.name. */
  code?: CodeLocation;
  /** Added by a producer on top of the program (a framework op or device lane at the top of a Chrome trace): never a coarse stage. */
  producer?: true;
  /** Added by Frametail (the root above several top-level events or trace files), not by the program. */
  synthetic?: true;
}

export interface CodeLocation {
  file: string;
  line?: number;
  function?: string;
}

/** Something odd in a trace that was repaired rather than fatal (orphan, cycle, duplicate id, negative duration…). */
export interface TraceWarning {
  kind: 'orphan' | 'cycle' | 'duplicate-span-id' | 'negative-duration' | 'clock-skew' | 'unparsable' | 'dropped' | 'deep' | 'time';
  message: string;
  spanId?: string;
}

/** Per run and span path: what the comparison and the `traces` command read. */
export interface SpanPathMetrics {
  /**
   * Names from the root joined by "/", e.g. "generate/preprocess/cache.lookup"; a "/" or "\\" inside a name is
   * escaped with a backslash (`decode\/upsample`, see pathSegment), so paths stay distinct and readable.
   */
  path: string;
  name: string;
  count: number;
  totalMs: number;
  selfMs: number;
  /** Time this path contributes to the run's critical path (0 when it is not on it). */
  criticalMs: number;
  onCriticalPath: boolean;
  errors: number;
  code?: CodeLocation;
}
