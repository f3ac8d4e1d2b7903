/**
 * Where the placeholders of a `run.command: {shell: …}` script stand, in shell terms. Frametail
 * single-quotes every substituted value, which makes it literal only where a word is unquoted: inside
 * double quotes, backticks, `$(…)`, `${…}`, single quotes, a comment, a here-document, or right after `\`
 * or `$`, a quoted value can be reopened and a prompt holding `$(…)` would run. Those places are refused.
 */
import { PlaceholderError, tokenize } from './placeholders.js';

type Context = 'top' | "'" | '"' | '`' | '$(' | '(' | '${' | '#';

const NAMES: Record<Exclude<Context, 'top'>, string> = {
  "'": 'single quotes',
  '"': 'double quotes',
  '`': 'backticks',
  '$(': 'a $(…) substitution',
  '(': 'a $(…) substitution',
  '${': 'a ${…} expansion',
  '#': 'a comment',
};

/** Throws a PlaceholderError when a placeholder of the script stands anywhere but in an unquoted word. */
export function checkShellPlaceholders(script: string): void {
  const stack: Context[] = ['top'];
  let heredoc = false;
  let previous = '';
  let escaped = false;
  for (const token of tokenize(script)) {
    if (token.kind === 'placeholder') {
      const where = stack[stack.length - 1]!;
      const problem =
        where !== 'top' ? `inside ${NAMES[where]}`
        : heredoc ? 'after a here-document (<<)'
        : escaped || previous === '\\' ? 'right after a backslash'
        : previous === '$' ? 'right after "$"'
        : undefined;
      if (problem) {
        throw new PlaceholderError(
          `{${token.name}} stands ${problem} in the shell script; Frametail single-quotes every substituted value, so write placeholders as unquoted words (e.g. gen --prompt {input.prompt}) or use the argv form`,
        );
      }
      previous = 'x';
      escaped = false;
      continue;
    }
    const text = token.text;
    for (let i = 0; i < text.length; i++) {
      const char = text[i]!;
      const next = text[i + 1];
      const where = stack[stack.length - 1]!;
      if (escaped) {
        escaped = false;
        previous = 'x';
        continue;
      }
      if (where === "'") {
        if (char === "'") stack.pop();
      } else if (where === '#') {
        if (char === '\n') stack.pop();
      } else if (char === '\\') {
        escaped = true;
        previous = char;
        continue;
      } else if (where === '"') {
        if (char === '"') stack.pop();
        else if (char === '`') stack.push('`');
        else if (char === '$' && (next === '(' || next === '{')) i = open(stack, next, i);
      } else if (where === '`') {
        if (char === '`') stack.pop();
      } else {
        // top, $( … ), ( … ) inside $( … ), ${ … }
        if (char === "'") stack.push("'");
        else if (char === '"') stack.push('"');
        else if (char === '`') stack.push('`');
        else if (char === '$' && (next === '(' || next === '{')) i = open(stack, next, i);
        else if (char === '(' && where !== 'top' && where !== '${') stack.push('(');
        else if (char === ')' && (where === '$(' || where === '(')) stack.pop();
        else if (char === '}' && where === '${') stack.pop();
        else if (char === '#' && (previous === '' || /\s|;|&|\|/.test(previous))) stack.push('#');
        else if (char === '<' && next === '<') heredoc = true;
      }
      previous = char;
    }
  }
}

/** Enters `$(` or `${` at `i` (the `$`); returns the index of the bracket, so the caller skips it. */
function open(stack: Context[], bracket: '(' | '{', i: number): number {
  stack.push(bracket === '(' ? '$(' : '${');
  return i + 1;
}
