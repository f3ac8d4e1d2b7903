/** The trace machinery of src/traces wired into the runner's TraceBackend. */
import { coarseFilter } from '../traces/analyze.js';
import { parseTraceFile } from '../traces/files.js';
import type { TraceBackend } from './traces.js';

/** Trace files parsed by src/traces/files.ts, filtered to coarse by src/traces/analyze.ts. */
export async function defaultTraceBackend(): Promise<TraceBackend> {
  return {
    parseTraceFile(bytes, file) {
      const parsed = parseTraceFile(bytes, file);
      return { spans: parsed.spans, warnings: parsed.warnings.map((w) => `${file}: ${w.message}`) };
    },
    coarseFilter,
  };
}
