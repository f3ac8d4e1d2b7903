/**
 * Placeholders in the run command (DESIGN §3): `{input.prompt}`, `{input.id}`, `{input.<field>}`,
 * `{variant.id}`, `{variant.label}`, `{config.<key>}`. Each argv element is substituted on its own,
 * so a prompt with spaces stays one argument and nothing is ever re-parsed by a shell.
 * `{{` and `}}` stand for a literal brace.
 */
import type { Input, Variant } from '../config/parse.js';

/** What the placeholders of one cell resolve against. */
export interface PlaceholderContext {
  input: Input;
  variant: Variant;
  configuration: Record<string, string | number | boolean>;
}

/** One piece of a template: literal text, or a placeholder name such as `input.prompt`. */
type Token = { kind: 'text'; text: string } | { kind: 'placeholder'; name: string };

/** Splits a template into text and placeholders; a lone `{` or `}` is an error naming the template. */
export function tokenize(template: string): Token[] {
  const tokens: Token[] = [];
  let text = '';
  let i = 0;
  while (i < template.length) {
    const char = template[i]!;
    const next = template[i + 1];
    if ((char === '{' && next === '{') || (char === '}' && next === '}')) {
      text += char;
      i += 2;
    } else if (char === '{') {
      const close = template.indexOf('}', i + 1);
      if (close < 0) throw new PlaceholderError(`unclosed "{" in "${template}" (write "{{" for a literal brace)`);
      if (text) tokens.push({ kind: 'text', text });
      text = '';
      tokens.push({ kind: 'placeholder', name: template.slice(i + 1, close).trim() });
      i = close + 1;
    } else if (char === '}') {
      throw new PlaceholderError(`unmatched "}" in "${template}" (write "}}" for a literal brace)`);
    } else {
      text += char;
      i++;
    }
  }
  if (text) tokens.push({ kind: 'text', text });
  return tokens;
}

/** A placeholder that does not resolve, or a malformed template. The caller adds file and line. */
export class PlaceholderError extends Error {
  override readonly name = 'PlaceholderError';
}

/** The value of one placeholder name, or undefined when the name is unknown for this cell. */
export function resolvePlaceholder(name: string, context: PlaceholderContext): string | undefined {
  const dot = name.indexOf('.');
  if (dot < 0) return undefined;
  const scope = name.slice(0, dot);
  const key = name.slice(dot + 1);
  if (scope === 'input') {
    if (key === 'prompt') return context.input.prompt;
    if (key === 'id') return context.input.id;
    const field = Object.hasOwn(context.input.fields, key) ? context.input.fields[key] : undefined;
    return field === undefined ? undefined : String(field);
  }
  if (scope === 'variant') {
    if (key === 'id') return context.variant.id;
    if (key === 'label') return context.variant.label;
    return undefined;
  }
  if (scope === 'config') {
    const value = Object.hasOwn(context.configuration, key) ? context.configuration[key] : undefined;
    return value === undefined ? undefined : String(value);
  }
  return undefined;
}

/** Substitutes every placeholder of one argument; throws PlaceholderError naming an unknown one. */
export function substituteArgument(template: string, context: PlaceholderContext): string {
  return tokenize(template)
    .map((token) => {
      if (token.kind === 'text') return token.text;
      const value = resolvePlaceholder(token.name, context);
      if (value === undefined) throw new PlaceholderError(`unknown placeholder {${token.name}} (known: ${knownPlaceholders(context).join(', ')}; write {{ and }} for literal braces)`);
      return value;
    })
    .join('');
}

/** The argv of one cell: each element substituted on its own. */
export function substituteCommand(argv: readonly string[], context: PlaceholderContext): string[] {
  return argv.map((arg) => substituteArgument(arg, context));
}

/** Every placeholder name that resolves for this cell, for error messages. */
export function knownPlaceholders(context: PlaceholderContext): string[] {
  return [
    '{input.prompt}',
    '{input.id}',
    ...Object.keys(context.input.fields).map((k) => `{input.${k}}`),
    '{variant.id}',
    '{variant.label}',
    ...Object.keys(context.configuration).map((k) => `{config.${k}}`),
  ];
}
