import { createHash } from 'node:crypto';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import type { z } from 'zod';
import { inputError } from '../errors.js';
import { configSchema, LIMITS, type ParsedConfig } from './schema.js';

/** Aliases a config may expand (yaml's default is 100); a billion-laughs file is refused, not expanded. */
const MAX_ALIAS_COUNT = 100;
/** Bytes of config text read; real configs are a few KB. */
export const MAX_CONFIG_BYTES = 1024 * 1024;

export interface Variant {
  id: string;
  label: string;
}

export interface Input {
  id: string;
  prompt: string;
  fields: Record<string, string | number | boolean>;
}

/** The validated config with every id resolved: what the rest of the pipeline reads. */
export interface Config extends Omit<ParsedConfig, 'inputs' | 'dimension' | 'experiment'> {
  experiment: { id: string; name: string; description: string };
  dimension: { name: string; variants: Variant[] };
  inputs: Input[];
  /** Where the config came from, for messages and annotations. */
  source: { file: string; lines: ConfigLines };
}

/** 1-based line numbers of the places annotations point at. */
export interface ConfigLines {
  inputs: Record<string, number>;
  variants: Record<string, number>;
  /** Line of run.command, for placeholder errors. */
  command?: number;
}

export function slugify(text: string, maxLength = 24): string {
  const slug = text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return (slug.slice(0, maxLength).replace(/-+$/, '') || 'item');
}

/**
 * Parses the text of a frametail.yml. Every problem becomes an InputError naming
 * `file:line: field: what is wrong`.
 */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (offset: number | undefined) => (offset === undefined ? undefined : lineCounter.linePos(offset).line);
  const yamlError = doc.errors[0];
  if (yamlError) {
    throw inputError({ file, line: lineOf(yamlError.pos[0]) }, `invalid YAML: ${yamlError.message.split('\n')[0]}`);
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    // yaml throws a ReferenceError when aliases expand past maxAliasCount (a "billion laughs" file).
    throw inputError({ file, line: 1 }, `invalid YAML: too many aliases expanded (more than ${MAX_ALIAS_COUNT}); ${error instanceof Error ? error.message : String(error)}`);
  }
  if (raw === null || raw === undefined) throw inputError({ file, line: 1 }, 'the config file is empty');
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
    // An unknown key is reported on its own line, not on the line of the mapping that holds it.
    if (issue.code === 'unrecognized_keys' && issue.keys.length === 1) path.push(issue.keys[0]!);
    throw inputError({ file, line: lineOfPath(doc, path, lineOf), field: fieldName(path) }, describeIssue(issue, valueAt(raw, path)));
  }
  const parsed = result.data;
  checkPlanSize(parsed, file, lineOfPath(doc, ['gate', 'looks'], lineOf) ?? lineOfPath(doc, ['run', 'warmup'], lineOf));
  const variants = resolveIds(parsed.dimension.variants.map((v) => ({ id: v.id, text: v.label })), file, 'dimension.variants');
  const inputs = resolveIds(parsed.inputs.map((i) => ({ id: i.id, text: i.prompt })), file, 'inputs');
  const config: Config = {
    ...parsed,
    experiment: { id: '', name: parsed.experiment.name, description: parsed.experiment.description },
    dimension: {
      name: parsed.dimension.name,
      variants: parsed.dimension.variants.map((v, i) => ({ id: variants[i]!, label: v.label })),
    },
    inputs: parsed.inputs.map((input, i) => {
      const { id: _id, prompt, ...fields } = input;
      return { id: inputs[i]!, prompt, fields: fields as Input['fields'] };
    }),
    source: {
      file,
      lines: {
        inputs: Object.fromEntries(inputs.map((id, i) => [id, lineOfPath(doc, ['inputs', i], lineOf) ?? 1])),
        variants: Object.fromEntries(variants.map((id, i) => [id, lineOfPath(doc, ['dimension', 'variants', i], lineOf) ?? 1])),
        command: lineOfPath(doc, ['run', 'command'], lineOf),
      },
    },
  };
  config.experiment.id = parsed.experiment.id ?? experimentId(config);
  return config;
}

/** `exp_` + 12 hex of a hash over what pins the experiment (not its name or description). */
export function experimentId(config: Pick<Config, 'configuration' | 'dimension' | 'inputs' | 'run'>): string {
  const pinned = {
    configuration: sortKeys(config.configuration),
    dimension: config.dimension,
    inputs: config.inputs.map((i) => ({ id: i.id, prompt: i.prompt, fields: sortKeys(i.fields) })),
    command: config.run.command,
  };
  return `exp_${createHash('sha256').update(JSON.stringify(pinned)).digest('hex').slice(0, 12)}`;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function resolveIds(items: { id?: string; text: string }[], file: string, field: string): string[] {
  const seen = new Map<string, number>();
  return items.map((item, index) => {
    let id = item.id ?? slugify(item.text);
    if (!item.id && seen.has(id)) id = `${id}-${index + 1}`;
    if (seen.has(id)) throw inputError({ file, field: `${field}[${index}].id` }, `duplicate id "${id}" (also ${field}[${seen.get(id)}])`);
    seen.set(id, index);
    return id;
  });
}

function lineOfPath(doc: Document, path: (string | number)[], lineOf: (o: number | undefined) => number | undefined): number | undefined {
  // Walk up until a node exists: a missing field is reported on its parent's line.
  for (let depth = path.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return lineOf(node.range[0]);
  }
  return undefined;
}

function fieldName(path: (string | number)[]): string {
  return path.reduce<string>((acc, p) => (typeof p === 'number' ? `${acc}[${p}]` : acc ? `${acc}.${p}` : p), '') || '(top level)';
}

/**
 * Refuses a config whose bench would plan more than LIMITS.plannedRuns runs: the plan is built as a
 * list, and a typo such as `warmup: 1000000000` must be a message, not gigabytes.
 */
function checkPlanSize(parsed: ParsedConfig, file: string, line: number | undefined): void {
  const cells = parsed.inputs.length * parsed.dimension.variants.length;
  const rounds = parsed.run.warmup + Math.max(...parsed.gate.looks);
  const runs = cells * rounds * 2;
  if (runs > LIMITS.plannedRuns) {
    throw inputError(
      { file, line, field: 'gate.looks' },
      `${cells} cells × (${parsed.run.warmup} warm-up + ${Math.max(...parsed.gate.looks)} rounds) × 2 sides = ${runs} runs, more than ${LIMITS.plannedRuns}; use fewer rounds, warm-ups or cells`,
    );
  }
}

/** The raw value at a zod issue's path (undefined when it is missing). */
function valueAt(raw: unknown, path: (string | number)[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string | number, unknown>)[key];
  }
  return value;
}

function describeIssue(issue: z.core.$ZodIssue, value: unknown): string {
  if (issue.code === 'invalid_type' && value === undefined) return `is missing (expected ${issue.expected})`;
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${describeValue(value)}`;
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length > 1 ? 's ' + issue.keys.join(', ') : ''}`;
  if (issue.code === 'invalid_union') return 'has the wrong shape: ' + (issue.errors[0]?.[0]?.message ?? issue.message);
  return issue.message;
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  return `${typeof value} ${String(value)}`;
}
