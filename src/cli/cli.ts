/**
 * The `frametail` CLI (DESIGN §6). Each verb lives in src/cli/commands/. They are imported statically so
 * ncc bundles the CLI into one file (dynamic imports became a dozen chunk files in dist/cli/).
 */
import { InputError } from '../errors.js';
import { USAGE } from './args.js';
import { benchCommand } from './commands/bench.js';
import { compareCommand } from './commands/compare.js';
import { demoCommand } from './commands/demo.js';
import { receiveCommand } from './commands/receive.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { tracesCommand } from './commands/traces.js';
import { describeFailure, EXIT_BAD_INPUT } from './exit.js';
import { processIo, type CliIo } from './io.js';
import { scrubLines } from './warn.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, Command> = {
  run: runCommand,
  bench: benchCommand,
  compare: compareCommand,
  traces: tracesCommand,
  receive: receiveCommand,
  demo: demoCommand,
  schema: schemaCommand,
};

/** Runs one command line and returns its exit status; every error is mapped in describeFailure. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    (verb === undefined ? io.stderr : io.stdout).write(USAGE + '\n');
    return verb === undefined ? EXIT_BAD_INPUT : 0;
  }
  try {
    const command = Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : undefined;
    if (!command) throw new InputError(`unknown command "${verb}"\n${USAGE}`);
    return await command(args, io);
  } catch (error) {
    const failure = describeFailure(error, io.env.FRAMETAIL_DEBUG === '1');
    // Messages may quote untrusted text (a results line, a trace file name): no escape sequences.
    io.stderr.write(scrubLines(failure.message) + '\n');
    return failure.exitCode;
  }
}
