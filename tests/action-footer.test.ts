/**
 * The footer of the comment for a pull request names its head commit, where the check run and the links
 * are, and the commit that was measured when that is another one (GitHub's test-merge commit).
 */
import { expect, it } from 'vitest';
import { failReport } from '../fixtures/reports/build.js';
import { renderComment } from '../src/report/markdown/comment.js';

const options = { marker: '<!-- m -->', reproduce: 'npx --yes frametail@0.1.0 bench' };

it('names the PR head, and the merge commit measured', () => {
  const report = failReport();
  report.sides.head = { ref: 'HEAD', sha: 'bc68b28'.padEnd(40, '0'), runs: 20 };
  report.pullRequest = { number: 12, headSha: 'a1b2c3d'.padEnd(40, 'e') };
  const footer = renderComment(report, options).split('\n').find((l) => l.startsWith('<sub>base'))!;
  expect(footer).toContain('head #12 @ a1b2c3d (20 runs, measured as merge commit bc68b28)');
  expect(footer).not.toContain('head HEAD');
});

it('says nothing more when the PR head itself was measured, and keeps ref @ sha without a PR', () => {
  const report = failReport();
  const head = 'a1b2c3d'.padEnd(40, 'e');
  report.sides.head = { ref: 'feature', sha: head, runs: 20 };
  expect(renderComment({ ...report, pullRequest: { number: 12, headSha: head } }, options)).toContain('head #12 @ a1b2c3d (20 runs)');
  expect(renderComment(report, options)).toContain('head feature @ a1b2c3d (20 runs)');
});
