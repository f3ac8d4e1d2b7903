/**
 * The action's inputs (action.yml), read into one record and parsed by one zod schema. `RawInputs` is
 * `Record<keyof Inputs, …>`, so adding an input to the schema without reading it (or the reverse) does
 * not compile.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';

const boolean = z.enum(['true', 'false']).transform((v) => v === 'true');

/** `i/n`: this job runs shard i (1-based) of n. */
export const shardSchema = z
  .string()
  .regex(/^\d+\/\d+$/, 'must look like "i/n", e.g. "2/4"')
  .transform((text) => {
    const [index, count] = text.split('/').map(Number) as [number, number];
    return { index, count };
  })
  .refine((s) => s.count >= 1 && s.index >= 1 && s.index <= s.count, 'needs 1 ≤ i ≤ n');
export type Shard = z.output<typeof shardSchema>;

const failOnSchema = z
  .string()
  .transform((text) => text.split(/[\s,]+/).filter(Boolean))
  .pipe(z.array(z.enum(['regression', 'inconclusive', 'never'])).min(1));

export const inputsSchema = z.object({
  config: z.string().min(1).default('.github/frametail.yml'),
  'github-token': z.string().min(1, 'is empty: pass a token, e.g. ${{ github.token }}'),
  mode: z.enum(['all', 'run', 'report']).default('all'),
  baseline: z.enum(['rerun', 'artifact']).default('rerun'),
  'base-ref': z.string().min(1).optional(),
  'fail-on': failOnSchema.optional(),
  comment: z.enum(['always', 'on-change', 'on-regression', 'never']).default('always'),
  'accept-label': z.string().min(1).max(50).default('frametail:accept-regression'),
  shard: shardSchema.optional(),
  'artifact-name': z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/, 'may hold letters, digits, ".", "_" and "-" only')
    .default('frametail-results'),
  'working-directory': z.string().min(1).default('.'),
  'html-report': boolean.default(true),
});

export type Inputs = z.output<typeof inputsSchema>;
export type RawInputs = Record<keyof z.input<typeof inputsSchema>, string | undefined>;

/**
 * Every input, read through `get` (core.getInput in the action). An empty string is "not given",
 * which is what GitHub passes for an unset optional input.
 */
export function readRawInputs(get: (name: string) => string): RawInputs {
  const read = (name: keyof RawInputs) => {
    const value = get(name).trim();
    return value === '' ? undefined : value;
  };
  return {
    config: read('config'),
    'github-token': read('github-token'),
    mode: read('mode'),
    baseline: read('baseline'),
    'base-ref': read('base-ref'),
    'fail-on': read('fail-on'),
    comment: read('comment'),
    'accept-label': read('accept-label'),
    shard: read('shard'),
    'artifact-name': read('artifact-name'),
    'working-directory': read('working-directory'),
    'html-report': read('html-report'),
  };
}

/** Parses the raw inputs; the first problem becomes an InputError naming the input ("input mode: …"). */
export function parseInputs(raw: RawInputs): Inputs {
  const result = inputsSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const name = String(issue.path[0] ?? '(inputs)');
  const given = raw[name as keyof RawInputs];
  const message = issue.code === 'invalid_type' && given === undefined ? 'is required' : issue.message;
  throw new InputError(`input ${name}: ${message}${given !== undefined && name !== 'github-token' ? ` (got "${given}")` : ''}`, { field: name });
}
