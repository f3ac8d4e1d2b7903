/** The trace machinery of src/traces wired into the runner's TraceBackend. */
import { parseTraceFile } from '../traces/files.js';
import { startReceiver } from '../traces/receiver.js';
import type { TraceBackend } from './traces.js';
import { coarseKeepingModelSpans } from '../traces/model-spans.js';

/** The OTLP receiver of src/traces/receiver.ts, trace files parsed by src/traces/files.ts. */
export async function defaultTraceBackend(): Promise<TraceBackend> {
  return {
    startReceiver,
    parseTraceFile(bytes, file) {
      const parsed = parseTraceFile(bytes, file);
      return { spans: parsed.spans, warnings: parsed.warnings.map((w) => `${file}: ${w.message}`) };
    },
    coarseFilter: coarseKeepingModelSpans,
  };
}
