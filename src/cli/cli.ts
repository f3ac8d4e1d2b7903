/**
 * The `frametail` CLI (DESIGN §6). Each verb lives in src/cli/commands/ and is loaded on demand, so
 * `frametail schema` does not pay for the receiver or the statistics.
 */
import { InputError } from '../errors.js';
import { USAGE } from './args.js';
import { describeFailure, EXIT_BAD_INPUT } from './exit.js';
import { processIo, type CliIo } from './io.js';

type Command = (args: string[], io: CliIo) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.js')).runCommand,
  bench: async () => (await import('./commands/bench.js')).benchCommand,
  compare: async () => (await import('./commands/compare.js')).compareCommand,
  traces: async () => (await import('./commands/traces.js')).tracesCommand,
  receive: async () => (await import('./commands/receive.js')).receiveCommand,
  demo: async () => (await import('./commands/demo.js')).demoCommand,
  schema: async () => (await import('./commands/schema.js')).schemaCommand,
};

/** Runs one command line and returns its exit status; every error is mapped in describeFailure. */
export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [verb, ...args] = argv;
  if (verb === undefined || verb === 'help' || verb === '--help' || verb === '-h') {
    (verb === undefined ? io.stderr : io.stdout).write(USAGE + '\n');
    return verb === undefined ? EXIT_BAD_INPUT : 0;
  }
  try {
    const load = Object.hasOwn(COMMANDS, verb) ? COMMANDS[verb] : undefined;
    if (!load) throw new InputError(`unknown command "${verb}"\n${USAGE}`);
    return await (await load())(args, io);
  } catch (error) {
    const failure = describeFailure(error, io.env.FRAMETAIL_DEBUG === '1');
    io.stderr.write(failure.message + '\n');
    return failure.exitCode;
  }
}
