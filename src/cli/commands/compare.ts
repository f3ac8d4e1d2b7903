/** `frametail compare BASE HEAD`: the gate over two results files; exit 1 when it fails. */
import { exitCodeFor } from '../../compare/gate.js';
import { compareSides, requireHeadRuns } from '../../compare/sides.js';
import { loadConfig } from '../../config/load.js';
import { InputError } from '../../errors.js';
import { hasRunOfSide, type ResultsFile } from '../../results/read.js';
import { readResultsPair } from '../../results/read-pair.js';
import { parseVerbArgs } from '../args.js';
import type { CliIo } from '../io.js';
import { emitReport, parseFormat } from '../report-output.js';
import { stderrWarnings } from '../warn.js';

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
  const [base, head] = await readResultsPair(positionals[0]!, positionals[1]!);
  const warnings = stderrWarnings(io);
  for (const warning of [...base.warnings, ...head.warnings]) warnings.warn(warning);
  checkSides(base, head, warnings.warn);
  warnings.flush();
  const report = compareSides(base, head, config ? { config } : {});
  const reproduce = ['frametail compare', ...positionals, ...(values.config ? ['--config', values.config] : [])].join(' ');
  const file = await emitReport(report, format, values.out, io, reproduce);
  if (file) io.stderr.write(`report written to ${file}\n`);
  return exitCodeFor(report);
}

/**
 * A head side without a single run is a mistake (a header-only file, an empty file, the wrong path),
 * not a passing gate: exit 2. Files whose headers name the opposite sides were likely swapped.
 */
function checkSides(base: ResultsFile, head: ResultsFile, warn: (message: string) => void): void {
  requireHeadRuns(head);
  if (head.header?.side === 'base' && !hasRunOfSide(head, 'head')) {
    warn(`${head.file}: this file holds the base side (its header says side "base"), but it was passed as HEAD; did you swap BASE and HEAD?`);
  }
  if (base.header?.side === 'head' && !hasRunOfSide(base, 'base')) {
    warn(`${base.file}: this file holds the head side (its header says side "head"), but it was passed as BASE; did you swap BASE and HEAD?`);
  }
}
