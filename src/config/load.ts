import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { inputError } from '../errors.js';
import { parseConfig, type Config } from './parse.js';
import { configSchema } from './schema.js';

export const DEFAULT_CONFIG_PATH = '.github/frametail.yml';

/** Reads and parses a config file; a missing or unreadable file is an InputError naming it. */
export async function loadConfig(file: string = DEFAULT_CONFIG_PATH): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (pass --config FILE, or create .github/frametail.yml)' : `cannot read it (${code ?? String(error)})`;
    throw inputError({ file }, why);
  }
  return parseConfig(text, file);
}

/** JSON Schema (draft 2020-12) of the config file as users write it, for editors and `frametail schema`. */
export function configJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return {
    ...schema,
    $id: 'https://github.com/frametail/frametail/schema/frametail.schema.json',
    title: 'Frametail config (.github/frametail.yml)',
  };
}
