/**
 * The comparison as the action runs it: `compareSides` with the config (experiment, cell order, input
 * lines, gate) and the `fail-on` input overriding the config's `gate.fail-on` when given, so the
 * report is the same whichever mode produced it.
 */
import type { Config } from '../config/parse.js';
import type { FailOn } from '../compare/settings.js';
import { compareSides } from '../compare/sides.js';
import type { ResultsFile } from '../results/read.js';
import type { Report } from '../report/model.js';

/** Base vs head under `config`'s gate, with `failOn` (the action input) replacing its fail-on. */
export function compareForConfig(config: Config, base: ResultsFile, head: ResultsFile, options: { failOn?: FailOn[]; adaptive?: boolean; baselineFromArtifact?: boolean } = {}): Report {
  return compareSides(base, head, {
    config,
    ...(options.baselineFromArtifact ? { modelComparable: false } : {}),
    ...(options.failOn ? { gate: { failOn: options.failOn } } : {}),
    ...(options.adaptive ? { adaptive: true } : {}),
  });
}
