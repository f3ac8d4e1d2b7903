/**
 * Checks made before the first run, so a typo costs an error message instead of a matrix of failed
 * runs: the program of run.command exists, and run.setup succeeds on each side.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';
import type { Config } from '../config/parse.js';
import { inputError } from '../errors.js';
import type { CellCommand } from '../plan/command.js';
import type { Side } from '../results/format.js';
import { measuredEnv } from './env.js';
import { runProcess } from './process.js';

/** The executable a bare program name resolves to on PATH, like `command -v`; undefined when none. */
export function findExecutable(program: string, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = program.includes('/') ? [isAbsolute(program) ? program : resolve(cwd, program)] : (env.PATH ?? '').split(delimiter).filter(Boolean).map((dir) => join(resolve(cwd, dir), program));
  return candidates.find((file) => {
    try {
      accessSync(file, constants.X_OK);
      return statSync(file).isFile();
    } catch {
      return false;
    }
  });
}

/** InputError (exit 2) naming run.command when its program cannot be found from `cwd`. */
export function checkProgram(config: Config, command: CellCommand, cwd: string, env: NodeJS.ProcessEnv = process.env): void {
  if (!('argv' in command)) return;
  const program = command.argv[0]!;
  if (findExecutable(program, cwd, { ...env, ...config.run.env })) return;
  throw inputError(
    { file: config.source.file, line: config.source.lines.command, field: 'run.command' },
    `command not found: "${program}" (looked ${program.includes('/') ? `in ${cwd}` : 'on PATH'})`,
  );
}

/**
 * Runs run.setup once in a side's checkout (never timed). Its failure is an InputError naming the side,
 * the exit code and the end of its stderr.
 */
export async function runSetup(config: Config, side: Side, checkoutDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const setup = config.run.setup;
  if (!setup) return;
  const command: CellCommand = Array.isArray(setup) ? { argv: [...setup] } : { shell: setup.shell };
  const cwd = resolve(checkoutDir, config.run.cwd);
  if ('argv' in command && !findExecutable(command.argv[0]!, cwd, { ...env, ...config.run.env })) {
    throw inputError({ file: config.source.file, field: 'run.setup' }, `command not found: "${command.argv[0]}" (${side} side)`);
  }
  const outcome = await runProcess({ command, cwd, env: { ...measuredEnv(env), ...config.run.env, FRAMETAIL_SIDE: side }, timeoutMs: config.run['setup-timeout'] });
  if (outcome.status === 'completed') return;
  const why = outcome.status === 'timeout' ? `timed out after ${config.run['setup-timeout']} ms` : `exited with ${outcome.exitCode ?? outcome.signal}`;
  throw inputError({ file: config.source.file, field: 'run.setup' }, `setup failed on the ${side} side (${checkoutDir}): ${why}${outcome.stderrTail ? `\n${outcome.stderrTail}` : ''}`);
}
