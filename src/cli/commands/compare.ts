/** `frametail compare BASE HEAD`: the gate over two results files; exit 1 when it fails. */
import { exitCodeFor } from '../../compare/gate.js';
import { compareSides } from '../../compare/sides.js';
import { loadConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { readResults } from '../../results/read.js';
import { parseVerbArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { emitReport, parseFormat } from '../report-output.js';

const USAGE = 'frametail compare BASE HEAD [--config F] [--out DIR] [--format text|md|json|html]';

export async function compareCommand(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseVerbArgs('compare', args, {
    config: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string', default: 'text' },
  }, USAGE, true);
  if (positionals.length !== 2) throw new InputError(`compare: expected two results files (BASE HEAD), got ${positionals.length}\nusage: ${USAGE}`);
  const format = parseFormat(values.format);
  const config = values.config === undefined ? undefined : await loadConfig(values.config);
  const [base, head] = await Promise.all(positionals.map((file) => readResults(file)));
  for (const warning of [...base!.warnings, ...head!.warnings]) io.stderr.write(`warning: ${warning}\n`);
  const report = compareSides(base!, head!, config ? { config } : {});
  const reproduce = ['frametail compare', ...positionals, ...(values.config ? ['--config', values.config] : [])].join(' ');
  const file = await emitReport(report, format, values.out, io, reproduce);
  if (file) io.stderr.write(`report written to ${file}\n`);
  return exitCodeFor(report);
}
