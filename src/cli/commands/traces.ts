/** `frametail traces FILE... [--json]`: span table, self time and critical path of trace files. */
import { inputError, InputError } from '../../errors.js';
import { renderTraces } from '../../traces/command.js';
import { parseTraceFile } from '../../traces/files.js';
import { readTraceFile, TraceFileRefused } from '../../traces/read-file.js';
import { parseVerbArgs } from '../args.js';
import type { CliIo } from '../io.js';

const USAGE = 'frametail traces FILE... [--json]';

export async function tracesCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs('traces', args, { json: { type: 'boolean', default: false } }, USAGE, true);
  if (positionals.length === 0) throw new InputError(`traces: name at least one trace file\nusage: ${USAGE}`);
  const files = await Promise.all(
    positionals.map(async (file) => {
      // Bounded: a regular file (not /dev/zero or a FIFO), at most MAX_TRACE_FILE_BYTES, within a time limit.
      const bytes = await readTraceFile(file, { followSymlinks: true }).catch((error: NodeJS.ErrnoException) => {
        if (error instanceof TraceFileRefused) throw inputError({ file }, error.message);
        throw inputError({ file }, error.code === 'ENOENT' ? 'no such trace file' : `cannot read it (${error.code ?? String(error)})`);
      });
      return { file, ...parseTraceFile(bytes, file) };
    }),
  );
  io.stdout.write(renderTraces(files, { json: values.json }));
  return 0;
}
