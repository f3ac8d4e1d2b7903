import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { testConfig } from '../../tests/helpers/config.js';
import { commandForCell, commandsForCells } from './command.js';
import { cellsOf } from './plan.js';
import { PlaceholderError, substituteArgument, substituteCommand, tokenize, type PlaceholderContext } from './placeholders.js';

const context: PlaceholderContext = {
  input: { id: 'pirouette', prompt: 'A dancer spins; "quoted" $HOME', fields: { seed: 42, style: 'noir' } },
  variant: { id: 'wide', label: 'Wide shot' },
  configuration: { model: 'veo-3.1-fast', 'aspect-ratio': '16:9' },
};

describe('substituteCommand', () => {
  it('substitutes every documented placeholder, one argument at a time', () => {
    const argv = substituteCommand(['gen', '--prompt', '{input.prompt}', '--id={input.id}', '{input.seed}', '{variant.id}/{variant.label}', '{config.aspect-ratio}', '{ config.model }'], context);
    expect(argv).toEqual(['gen', '--prompt', 'A dancer spins; "quoted" $HOME', '--id=pirouette', '42', 'wide/Wide shot', '16:9', 'veo-3.1-fast']);
  });

  it('reads {{ and }} as literal braces', () => {
    expect(substituteArgument('{{"shot": "{variant.id}"}}', context)).toBe('{"shot": "wide"}');
  });

  it('names an unknown placeholder and lists the known ones', () => {
    expect(() => substituteArgument('{input.sed}', context)).toThrow(/unknown placeholder \{input\.sed\}.*\{input\.seed\}/);
    expect(() => substituteArgument('{prompt}', context)).toThrow(PlaceholderError);
    expect(() => substituteArgument('{config.toString}', context)).toThrow(PlaceholderError);
  });

  it('rejects a lone brace', () => {
    expect(() => tokenize('{input.prompt')).toThrow(/unclosed/);
    expect(() => tokenize('a}b')).toThrow(/unmatched/);
  });

  it('leaves text without braces unchanged, and never re-substitutes substituted values', () => {
    const noBraces = fc.string().filter((s) => !s.includes('{') && !s.includes('}'));
    fc.assert(fc.property(noBraces, (text) => substituteArgument(text, context) === text));
    fc.assert(
      fc.property(fc.string(), (prompt) => {
        const ctx = { ...context, input: { ...context.input, prompt } };
        return substituteArgument('<{input.prompt}>', ctx) === `<${prompt}>`;
      }),
    );
  });

  it('escapes round-trip: doubling every brace of any text gives the text back', () => {
    fc.assert(fc.property(fc.string(), (text) => substituteArgument(text.replaceAll('{', '{{').replaceAll('}', '}}'), context) === text));
  });
});

describe('commandsForCells', () => {
  it('reports an unknown placeholder with the config file, the line of run.command and the input', () => {
    const config = testConfig({ command: ['node', 'x.mjs', '{input.nope}'] }, '.github/frametail.yml');
    expect(() => commandsForCells(config, cellsOf(config))).toThrow(/^\.github\/frametail\.yml:\d+: run\.command: unknown placeholder \{input\.nope\}.*input "pirouette"/);
  });

  it('single-quotes substituted values in the shell form so they stay data', () => {
    const config = testConfig();
    const cell = { ...cellsOf(config)[0]!, input: { id: 'x', prompt: "it's $HOME; rm -rf /", fields: {} } };
    expect(commandForCell({ shell: 'gen --prompt {input.prompt}' }, cell, {})).toEqual({ shell: `gen --prompt 'it'\\''s $HOME; rm -rf /'` });
  });
});
