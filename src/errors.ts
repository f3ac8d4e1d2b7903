/**
 * Bad usage, config or input: the CLI exits 2 and the action fails with this message.
 * The message already names the file, line and field where they are known.
 */
export class InputError extends Error {
  override readonly name = 'InputError';
  constructor(
    message: string,
    readonly location?: { file?: string; line?: number; field?: string },
  ) {
    super(message);
  }
}

/** "file:line: field: message", leaving out what is unknown. */
export function formatLocation(loc: { file?: string; line?: number; field?: string }, message: string): string {
  const where = [loc.file, loc.line !== undefined ? String(loc.line) : undefined].filter(Boolean).join(':');
  const field = loc.field ? `${loc.field}: ` : '';
  return where ? `${where}: ${field}${message}` : `${field}${message}`;
}

export function inputError(loc: { file?: string; line?: number; field?: string }, message: string): InputError {
  return new InputError(formatLocation(loc, message), loc);
}
