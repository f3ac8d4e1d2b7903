/** `frametail schema`: the JSON Schema of the config file, for editors and validators. */
import { configJsonSchema } from '../../config/load.js';
import { parseVerbArgs } from '../args.js';
import type { CliIo } from '../io.js';

export async function schemaCommand(args: string[], io: CliIo): Promise<number> {
  parseVerbArgs('schema', args, {}, 'frametail schema');
  io.stdout.write(JSON.stringify(configJsonSchema(), null, 2) + '\n');
  return 0;
}
