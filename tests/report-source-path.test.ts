import fc from 'fast-check';
import { posix } from 'node:path';
import { describe, expect, it } from 'vitest';
import { failReport } from '../fixtures/reports/build.js';
import { renderHtml } from '../src/report/html/render.js';
import { renderCheckOutput, renderComment, renderSummary } from '../src/report/markdown/comment.js';
import { repoRelativePath, shownSourcePath, sourceLink, withRepoRelativePaths } from '../src/report/source-path.js';

const ROOT = '/home/runner/work/studio/studio';
const repo = { serverUrl: 'https://github.com', owner: 'acme', repo: 'studio', sha: 'c'.repeat(40), roots: [ROOT, `${ROOT}/.frametail/worktrees/*`] };

describe('repoRelativePath', () => {
  it('makes checkout paths repository-relative and refuses everything outside', () => {
    expect(repoRelativePath('./src/a.ts')).toBe('src/a.ts');
    expect(repoRelativePath('src\\win\\a.py')).toBe('src/win/a.py');
    expect(repoRelativePath(`${ROOT}/src/a.py`, ROOT)).toBe('src/a.py');
    expect(repoRelativePath(`file://${ROOT}/src/a.py`, ROOT)).toBe('src/a.py');
    expect(repoRelativePath(`${ROOT}/.frametail/worktrees/frametail-worktree-x1/src/a.py`, repo.roots)).toBe('src/a.py');
    expect(repoRelativePath('/home/runner/work/a.py')).toBeUndefined();
    expect(repoRelativePath('/home/runner/work/studio/studio-evil/a.py', ROOT)).toBeUndefined();
    expect(repoRelativePath('/tmp/frametail-ws-1/pipeline/stages.py', ROOT)).toBeUndefined();
    expect(repoRelativePath(`${ROOT}/../studio-evil/a.py`, ROOT)).toBeUndefined();
    expect(repoRelativePath('../../../../attacker/evil/blob/main/README.md')).toBeUndefined();
    expect(repoRelativePath('src/../../outside.py')).toBeUndefined();
    expect(repoRelativePath('src/./x/../a.py')).toBe('src/a.py');
    expect(repoRelativePath('C:\\Users\\runner\\a.py')).toBeUndefined();
  });

  it('never answers a path that resolves outside the repository (property)', () => {
    const segment = fc.constantFrom('..', '.', '', 'src', 'a.py', 'studio', 'home', 'runner', 'work', '\\', 'C:');
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 10 }), fc.boolean(), (parts, absolute) => {
        const file = `${absolute ? '/' : ''}${parts.join('/')}`;
        const path = repoRelativePath(file, ROOT);
        if (path === undefined) return;
        expect(path.split('/')).not.toContain('..');
        expect(path.startsWith('/')).toBe(false);
        // Inside the checkout, whichever way the path is read.
        expect(posix.resolve(ROOT, path).startsWith(`${ROOT}/`)).toBe(true);
      }),
    );
  });
});

describe('sourceLink', () => {
  it('links repository files at the head commit and nothing else', () => {
    expect(sourceLink(repo, `${ROOT}/pipeline/stages.py`, 23)).toBe(`https://github.com/acme/studio/blob/${'c'.repeat(40)}/pipeline/stages.py#L23`);
    expect(sourceLink(repo, 'pipeline/my file#1.py')).toBe(`https://github.com/acme/studio/blob/${'c'.repeat(40)}/pipeline/my%20file%231.py`);
    expect(sourceLink(repo, '../../../../attacker/evil/blob/main/README.md', 1)).toBeUndefined();
    expect(sourceLink(repo, '/tmp/xyz/pipeline/stages.py', 23)).toBeUndefined();
    expect(sourceLink(repo, shownSourcePath('/tmp/xyz/stages.py', ROOT))).toBeUndefined();
  });
});

describe('withRepoRelativePaths', () => {
  function hostileReport() {
    const report = failReport();
    report.experiment.configFile = `${ROOT}/.github/frametail.yml`;
    const spans = report.cells.flatMap((c) => c.spans).filter((s) => s.code);
    spans[0]!.code!.file = `${ROOT}/pipeline/stages.py`;
    spans[1]!.code!.file = '../../../../attacker/evil/blob/main/README.md';
    for (const s of spans.slice(2)) s.code!.file = '/tmp/runner-temp/frametail/tmp/pipeline/stages.py';
    report.warnings.push(`/tmp/runner-temp/frametail/head/trace-3.json: line 4 is not JSON`, `${ROOT}/pipeline/spans.json: 2 orphan spans`);
    return report;
  }

  it('keeps no runner path in report.json, the comment, the check run, the summary or the HTML', () => {
    const report = withRepoRelativePaths(hostileReport(), repo.roots, ['/tmp/runner-temp']);
    const sourceUrl = (file: string, line?: number) => sourceLink(repo, file, line);
    const options = { marker: '<!-- m -->', reproduce: 'npx frametail bench', sourceUrl };
    const check = renderCheckOutput(report, options);
    const documents = [JSON.stringify(report), renderComment(report, options), renderSummary(report, options), check.summary + check.text, renderHtml(report, { sourceUrl })];
    for (const text of documents) {
      expect(text).not.toContain('/home/runner');
      expect(text).not.toContain('/tmp/');
      expect(text).not.toContain('attacker/evil');
    }
    expect(report.experiment.configFile).toBe('.github/frametail.yml');
    expect(report.warnings.slice(-2)).toEqual(['$RUNNER_TEMP/frametail/head/trace-3.json: line 4 is not JSON', './pipeline/spans.json: 2 orphan spans']);
    // The one repository file is linked at the head commit; the rest are plain text.
    const links = [...renderSummary(report, options).matchAll(/\]\((https?:[^)]+)\)/g)].map((m) => m[1]);
    expect(links.length).toBeGreaterThan(0);
    expect(links.every((url) => url!.startsWith(`https://github.com/acme/studio/blob/${'c'.repeat(40)}/pipeline/stages.py`))).toBe(true);
  });
});
