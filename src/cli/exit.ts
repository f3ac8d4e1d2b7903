/**
 * The one place errors become exit statuses (DESIGN §6): 0 gate passed, 1 gate failed, 2 bad usage,
 * config or input. An InputError prints its message (already naming file, line and field). Any other
 * error is a bug in Frametail, not in the user's input; DESIGN defines no status of its own for it, so
 * it also exits 2, with an "internal error:" prefix and the stack when FRAMETAIL_DEBUG=1.
 */
import { InputError } from '../errors.js';

export const EXIT_PASS = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_BAD_INPUT = 2;

/** The message to print and the status to exit with for an error thrown by a command. */
export function describeFailure(error: unknown, debug: boolean): { message: string; exitCode: number } {
  if (error instanceof InputError) return { message: `frametail: ${error.message}`, exitCode: EXIT_BAD_INPUT };
  const detail = error instanceof Error ? (debug ? (error.stack ?? error.message) : error.message) : String(error);
  const hint = debug ? '' : '\n(set FRAMETAIL_DEBUG=1 for the stack trace)';
  return { message: `frametail: internal error: ${detail}${hint}`, exitCode: EXIT_BAD_INPUT };
}
