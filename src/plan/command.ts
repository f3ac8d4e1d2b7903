/**
 * The concrete command of each cell, from `run.command` and its placeholders. Checked for every cell
 * before anything runs, so an unknown placeholder costs nothing but an error message.
 */
import type { Config } from '../config/parse.js';
import { inputError } from '../errors.js';
import type { Cell } from './plan.js';
import { PlaceholderError, substituteArgument, substituteCommand, type PlaceholderContext } from './placeholders.js';
import { checkShellPlaceholders } from './shell-context.js';

/** An argv to spawn without a shell, or (explicit opt-in) a shell script. */
export type CellCommand = { argv: string[] } | { shell: string };

/** Quotes a value for a POSIX shell: substituted values never become shell syntax. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/**
 * The command of one cell. In the `shell:` form each substituted value is single-quoted, so a prompt
 * such as `it's $HOME` reaches the program as written; placeholders are allowed only where that quoting
 * holds (unquoted words: shell-context.ts refuses the rest).
 */
export function commandForCell(command: Config['run']['command'], cell: Cell, configuration: Config['configuration']): CellCommand {
  const context: PlaceholderContext = { input: cell.input, variant: cell.variant, configuration };
  if (Array.isArray(command)) return { argv: substituteCommand(command, context) };
  checkShellPlaceholders(command.shell);
  const quoted: PlaceholderContext = {
    input: {
      id: shellQuote(cell.input.id),
      prompt: shellQuote(cell.input.prompt),
      fields: Object.fromEntries(Object.entries(cell.input.fields).map(([k, v]) => [k, shellQuote(String(v))])),
    },
    variant: { id: shellQuote(cell.variant.id), label: shellQuote(cell.variant.label) },
    configuration: Object.fromEntries(Object.entries(configuration).map(([k, v]) => [k, shellQuote(String(v))])),
  };
  return { shell: substituteArgument(command.shell, quoted) };
}

/**
 * The commands of all cells, or an InputError naming the config file, the line of run.command and the
 * placeholder that does not resolve.
 */
export function commandsForCells(config: Config, cells: Cell[]): Map<string, CellCommand> {
  const commands = new Map<string, CellCommand>();
  for (const cell of cells) {
    try {
      commands.set(cellKey(cell), commandForCell(config.run.command, cell, config.configuration));
    } catch (error) {
      if (!(error instanceof PlaceholderError)) throw error;
      throw inputError({ file: config.source.file, line: config.source.lines.command, field: 'run.command' }, `${error.message} in input "${cell.input.id}"`);
    }
  }
  return commands;
}

/** The key `commandsForCells` files a cell under. */
export function cellKey(cell: Cell): string {
  return `${cell.input.id}/${cell.variant.id}`;
}
