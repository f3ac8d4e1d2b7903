/** Flag parsing for every verb: node:util parseArgs, with its errors turned into exit-2 messages. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { InputError } from '../errors.js';

export type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses one verb's arguments; an unknown flag or a missing value is an InputError showing the usage. */
export function parseVerbArgs<O extends Options>(verb: string, args: string[], options: O, usage: string, positionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals: positionals, strict: true });
  } catch (error) {
    const reason = (error as Error).message.replace(/\. To specify a positional argument.*$/s, '');
    throw new InputError(`${verb}: ${reason}\nusage: ${usage}`);
  }
}

/** A positive integer flag value, or an InputError naming the flag. */
export function positiveInt(flag: string, value: string | undefined, max = 10_000): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InputError(`--${flag}: expected a positive whole number, got "${value}"`);
  if (n > max) throw new InputError(`--${flag}: at most ${max}, got ${value}`);
  return n;
}

/** `--shard 2/4` → { index: 2, count: 4 }. */
export function parseShard(value: string | undefined): { index: number; count: number } | undefined {
  if (value === undefined) return undefined;
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InputError(`--shard: expected INDEX/COUNT with 1 ≤ INDEX ≤ COUNT, e.g. 1/4, got "${value}"`);
  return { index, count };
}

export const USAGE = `usage: frametail <command> [options]

  run      [--config F] [--side base|head] [--out DIR] [--resume] [--rounds N] [--shard I/N]
           measure this checkout as one side → DIR/results.jsonl
  bench    [--config F] [--base REF] [--head REF] [--out DIR] [--resume] [--shard I/N]
           both sides interleaved (ABBA), adaptive looks, then compare
  compare  BASE HEAD [--config F] [--out DIR] [--format text|md|json|html]
  traces   FILE... [--json]            span table, self time, critical path
  receive  [--port N] [--out FILE]     standalone OTLP receiver → spans JSONL
  demo                                 the bundled example, end to end
  schema                               JSON Schema of the config file

exit status: 0 gate passed, 1 gate failed, 2 bad usage, config or input`;
