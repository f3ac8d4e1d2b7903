/**
 * The experiment block of the report: from the config when there is one, else from a results header's
 * `experiment`, else the bare ids seen in the runs. Header data is untrusted, so only fields of the
 * right type are taken from it.
 */
import type { Config } from '../config/parse.js';
import type { RunLine } from '../results/format.js';
import type { ReportExperiment } from '../report/model.js';

export function experimentFromConfig(config: Config): ReportExperiment {
  return {
    id: config.experiment.id,
    name: config.experiment.name,
    description: config.experiment.description,
    configuration: { ...config.configuration },
    dimension: { name: config.dimension.name, variants: config.dimension.variants.map((v) => ({ id: v.id, label: v.label })) },
    inputs: config.inputs.map((i) => ({ id: i.id, prompt: i.prompt })),
    configFile: config.source.file,
  };
}

/** Best effort from a header's experiment record (as the runner writes it) and the runs' ids. */
export function experimentFromResults(headerExperiment: Record<string, unknown> | undefined, ...runLists: readonly RunLine[][]): ReportExperiment {
  const h = headerExperiment ?? {};
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
  // Walked in place, list after list: millions of runs are never copied into one array. A run usually has
  // the input of the run before it (the runner writes an input's variants together): no set look-up then.
  const inputs = new Set<string>();
  const variants = new Set<string>();
  for (const runs of runLists) {
    let lastInput: string | undefined;
    // Indexed: see countMeasured in compare.ts.
    for (let i = 0; i < runs.length; i++) {
      const run = runs[i]!;
      if (run.input !== lastInput) inputs.add((lastInput = run.input));
      variants.add(run.variant);
    }
  }
  const inputIds = [...inputs];
  const variantIds = [...variants];
  const dimension = isRecord(h.dimension) ? h.dimension : {};
  const headerVariants = Array.isArray(dimension.variants) ? dimension.variants.filter(isRecord) : [];
  const headerInputs = Array.isArray(h.inputs) ? h.inputs.filter(isRecord) : [];
  const labelOf = new Map(headerVariants.map((v) => [str(v.id, ''), str(v.label, str(v.id, ''))]));
  const promptOf = new Map(headerInputs.map((i) => [str(i.id, ''), str(i.prompt, '')]));
  const configuration = isRecord(h.configuration)
    ? Object.fromEntries(Object.entries(h.configuration).filter((e): e is [string, string | number | boolean] => ['string', 'number', 'boolean'].includes(typeof e[1])))
    : {};
  const variantOrder = unique([...headerVariants.map((v) => str(v.id, '')).filter(Boolean), ...variantIds]);
  const inputOrder = unique([...headerInputs.map((i) => str(i.id, '')).filter(Boolean), ...inputIds]);
  return {
    id: str(h.id, 'exp_unknown'),
    name: str(h.name, 'Results comparison'),
    description: str(h.description, ''),
    configuration,
    dimension: {
      name: str(dimension.name, 'variant'),
      variants: variantOrder.map((id) => ({ id, label: labelOf.get(id) || id })),
    },
    inputs: inputOrder.map((id) => ({ id, prompt: promptOf.get(id) ?? '' })),
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
