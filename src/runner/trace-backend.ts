/** The trace machinery of src/traces wired into the runner's TraceBackend. */
import { parseTraceFile, type ParsedTraceFile } from '../traces/files.js';
import { mergeTraceFiles } from '../traces/merge.js';
import { startReceiver } from '../traces/receiver.js';
import type { TraceBackend } from './traces.js';
import { coarseKeepingModelSpans } from '../traces/model-spans.js';

/** The OTLP receiver of src/traces/receiver.ts, trace files parsed by src/traces/files.ts. */
export async function defaultTraceBackend(): Promise<TraceBackend> {
  return {
    startReceiver,
    parseTraceFiles(files) {
      const parsed: { file: string; parsed: ParsedTraceFile }[] = [];
      const warnings: string[] = [];
      const errors: string[] = [];
      files.forEach(({ name, bytes }, index) => {
        try {
          const one = parseTraceFile(bytes, name, index);
          parsed.push({ file: name, parsed: one });
          for (const w of one.warnings) warnings.push(w.message.startsWith(`${name}:`) ? w.message : `${name}: ${w.message}`);
        } catch (error) {
          errors.push(error instanceof Error ? error.message : String(error));
        }
      });
      const merged = mergeTraceFiles(parsed);
      return { spans: merged.spans, warnings, errors, ...(merged.note ? { note: merged.note } : {}) };
    },
    coarseFilter: coarseKeepingModelSpans,
  };
}
