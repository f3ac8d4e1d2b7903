/**
 * The shell form: every substituted value reaches the program literally (executed by a real /bin/sh),
 * and placeholders where single quotes would not hold are refused before anything runs.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { testConfig } from '../../tests/helpers/config.js';
import { commandForCell, commandsForCells } from './command.js';
import { cellsOf } from './plan.js';

const dir = mkdtempSync(join(tmpdir(), 'frametail-shell-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const canary = join(dir, 'pwned');

const HOSTILE = [
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  `it's "quoted" $HOME`,
  `'; touch ${canary}; echo '`,
  `"; touch ${canary}; echo "`,
  `line one\ntouch ${canary}\nline three`,
  `\\'$(touch ${canary})`,
  `$'\\x27'; touch ${canary}`,
];

function cellWith(prompt: string) {
  const config = testConfig();
  return { ...cellsOf(config)[0]!, input: { id: 'x', prompt, fields: { note: prompt } } };
}

/** What the shell passes to printf for this script, run by /bin/sh as runProcess does. */
function runShell(script: string, prompt: string): string {
  const command = commandForCell({ shell: script }, cellWith(prompt), { key: prompt });
  if (!('shell' in command)) throw new Error('expected the shell form');
  return execFileSync('/bin/sh', ['-c', command.shell], { cwd: dir, encoding: 'utf8' });
}

describe('shell form: substituted values are literal', () => {
  it.each(HOSTILE)('prompt %j reaches the program as written, in every allowed position', (prompt) => {
    expect(runShell("printf '%s|' {input.prompt} x{input.note}y {config.key}", prompt)).toBe(`${prompt}|x${prompt}y|${prompt}|`);
    expect(runShell("P={input.prompt}; printf '%s' \"$P\"", prompt)).toBe(prompt);
    expect(existsSync(canary)).toBe(false);
  });

  it('any prompt survives an unquoted placeholder (property, real /bin/sh)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }).filter((s) => !s.includes('\0')), (prompt) => {
        expect(runShell("printf '%s' {input.prompt}", prompt)).toBe(prompt);
      }),
      { numRuns: 60 },
    );
  });
});

describe('shell form: placeholders where quoting would not hold are refused', () => {
  it.each([
    ['double quotes', 'gen --prompt "{input.prompt}"', /inside double quotes/],
    ['single quotes', "gen --prompt '{input.prompt}'", /inside single quotes/],
    ['backticks', 'gen `echo {input.prompt}`', /inside backticks/],
    ['$( )', 'gen $(echo {input.prompt})', /inside a \$\(…\) substitution/],
    ['${ }', 'gen ${{X:-{input.prompt}}}', /inside a \$\{…\} expansion/],
    ['a comment', 'gen # {input.prompt}', /inside a comment/],
    ['a here-document', 'cat <<EOF\n{input.prompt}\nEOF', /after a here-document/],
    ['a backslash', 'gen \\{input.prompt}', /right after a backslash/],
    ['a dollar', 'gen ${input.prompt}', /right after "\$"/],
  ])('inside %s, with file, line and field', (_what, script, message) => {
    const config = testConfig({ command: { shell: script } as never }, '.github/frametail.yml');
    expect(() => commandsForCells(config, cellsOf(config))).toThrow(/^\.github\/frametail\.yml:\d+: run\.command: /);
    expect(() => commandsForCells(config, cellsOf(config))).toThrow(message);
  });

  it('keeps quotes and substitutions that hold no placeholder', () => {
    const config = testConfig({ command: { shell: `echo "$(date)" '#' {input.prompt} # done` } as never });
    expect(() => commandsForCells(config, cellsOf(config))).not.toThrow();
  });
});
