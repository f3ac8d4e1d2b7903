/**
 * The comparison as the action runs it: the config's gate (with the `fail-on` input overriding it),
 * the config's experiment, cell order and input lines, so the report is the same whichever mode made it.
 */
import type { Config } from '../config/parse.js';
import { compareResults, gateFromConfig } from '../compare/compare.js';
import { experimentFromConfig } from '../compare/experiment.js';
import type { FailOn } from '../compare/settings.js';
import type { ResultsFile } from '../results/read.js';
import type { Report } from '../report/model.js';

/** Base vs head for `config`; `failOn` (the action input) replaces the config's `gate.fail-on` when given. */
export function compareForConfig(config: Config, base: ResultsFile, head: ResultsFile, options: { failOn?: FailOn[]; adaptive?: boolean } = {}): Report {
  const gate = gateFromConfig(config);
  return compareResults({
    base,
    head,
    gate: options.failOn ? { ...gate, failOn: options.failOn } : gate,
    experiment: experimentFromConfig(config),
    configLines: config.source.lines.inputs,
    cellOrder: { inputs: config.inputs.map((i) => i.id), variants: config.dimension.variants.map((v) => v.id) },
    ...(options.adaptive ? { adaptive: { looks: gate.looks } } : {}),
  });
}
