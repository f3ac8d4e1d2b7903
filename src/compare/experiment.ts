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
export function experimentFromResults(headerExperiment: Record<string, unknown> | undefined, ...runLists: readonly (readonly RunLine[] | RunNames)[]): ReportExperiment {
  const h = headerExperiment ?? {};
  const str = (v: unknown, fallback: string) => (typeof v === 'string' && v !== '' ? v : fallback);
  // Walked in place, list after list: millions of runs are never copied into one array. A run usually has
  // the input of the run before it (the runner writes an input's variants together): no set look-up then.
  const inputs = new Set<string>();
  const variants = new Set<string>();
  for (const list of runLists) {
    if (!Array.isArray(list) && (list as RunNames).inputIds && (list as RunNames).variantIds) {
      // A reader's store knows them already, in order.
      for (const input of (list as RunNames).inputIds!()) inputs.add(input);
      for (const variant of (list as RunNames).variantIds!()) variants.add(variant);
      continue;
    }
    const runs = Array.isArray(list) ? arrayNames(list) : (list as RunNames);
    let lastInput: string | undefined;
    // Indexed: see countMeasured in compare.ts.
    for (let i = 0; i < runs.length; i++) {
      const input = runs.input(i);
      if (input !== lastInput) inputs.add((lastInput = input));
      variants.add(runs.variant(i));
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

/** The input and variant of each run, by index (a RunStore is one). */
export interface RunNames {
  readonly length: number;
  input(i: number): string;
  variant(i: number): string;
  /** The distinct ids in the order they first appear, when known without walking the runs. */
  inputIds?(): string[];
  variantIds?(): string[];
}

function arrayNames(runs: readonly RunLine[]): RunNames {
  return { length: runs.length, input: (i) => runs[i]!.input, variant: (i) => runs[i]!.variant };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
