import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { inputError } from '../errors.js';
import { MAX_CONFIG_BYTES, parseConfig, type Config } from './parse.js';
import { configSchema } from './schema.js';

export const DEFAULT_CONFIG_PATH = '.github/frametail.yml';

/** Reads and parses a config file; a missing or unreadable file is an InputError naming it. */
export async function loadConfig(file: string = DEFAULT_CONFIG_PATH): Promise<Config> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file (pass --config FILE, or create .github/frametail.yml)' : `cannot read it (${code ?? String(error)})`;
    throw inputError({ file }, why);
  }
  if (bytes.length > MAX_CONFIG_BYTES) throw inputError({ file }, `the config is ${bytes.length} bytes, more than ${MAX_CONFIG_BYTES}`);
  return parseConfig(decodeUtf8(bytes, file), file);
}

/** The text of a UTF-8 file; invalid bytes are an InputError naming their line, not silent U+FFFD. */
export function decodeUtf8(bytes: Buffer, file: string): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    return decoder.decode(bytes);
  } catch {
    let line = 1;
    let start = 0;
    for (;;) {
      const end = bytes.indexOf(0x0a, start);
      const slice = bytes.subarray(start, end < 0 ? bytes.length : end);
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(slice);
      } catch {
        break;
      }
      if (end < 0) break;
      start = end + 1;
      line++;
    }
    throw inputError({ file, line }, 'not valid UTF-8 (save the config as UTF-8)');
  }
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
