/**
 * Source locations as the reports show them. Traces name code by whatever path the SDK saw
 * (`code.file.path`): often absolute on the runner (`/home/runner/work/studio/studio/src/a.py`,
 * `/tmp/…`), sometimes relative, sometimes hostile (`../../../../attacker/evil/blob/main/README.md`).
 * `repoRelativePath` is the one place that turns them into repository-relative paths; every link
 * (comment, check run, job summary, HTML, annotations) is built from its answer by `sourceLink`, and
 * a path it refuses gets no link. `withRepoRelativePaths` rewrites a whole report so that no runner
 * path is kept in report.json or the HTML.
 */
import type { Report } from './model.js';

/** A location outside the repository keeps only its file name, marked so it is never read as a repository path. */
export const OUTSIDE_REPO_PREFIX = '(outside the repository)/';

/**
 * Checkouts of the repository on the runner: absolute paths, '/' or '\\' separated. A root ending in
 * `/*` stands for every folder directly below it (the base side's worktrees, named at run time).
 */
export type RepoRoots = string | readonly string[] | undefined;

/**
 * `file` as a repository-relative, '/'-separated path without `.` or `..` segments, or undefined when it
 * is not inside the repository: an absolute path counts only under one of `roots` (the longest that
 * matches), a relative one only if resolving its `..` segments never climbs above the repository root.
 * Lexical only: nothing is read from disk.
 */
export function repoRelativePath(file: string, roots?: RepoRoots): string | undefined {
  let path = file.replace(/\\/g, '/').replace(/^file:\/\//, '');
  if (path.includes('\0') || path.trim() === '' || path.startsWith(OUTSIDE_REPO_PREFIX)) return undefined;
  if (isAbsolute(path)) {
    const full = normalize(path);
    if (full === undefined) return undefined;
    const inside = rootsOf(roots)
      .map((root) => underRoot(full, root))
      .filter((rest): rest is string => rest !== undefined)
      .sort((a, b) => a.length - b.length)[0];
    if (inside === undefined) return undefined;
    path = inside;
  }
  const relative = normalize(path);
  return relative === undefined || relative === '' || isAbsolute(relative) ? undefined : relative;
}

function rootsOf(roots: RepoRoots): string[] {
  return roots === undefined ? [] : typeof roots === 'string' ? [roots] : [...roots];
}

/** The rest of `full` below `root` (a `/*` root swallows one more folder), or undefined. */
function underRoot(full: string, root: string): string | undefined {
  const wildcard = /[\\/]\*$/.test(root);
  const base = normalize(root.replace(/\\/g, '/').replace(/\/\*$/, ''));
  if (!base || base === '/' || !full.startsWith(`${base}/`)) return undefined;
  const rest = full.slice(base.length + 1);
  if (!wildcard) return rest;
  const slash = rest.indexOf('/');
  return slash > 0 ? rest.slice(slash + 1) : undefined;
}

/** What the reports show for a location: its repository-relative path, or only its file name when it is outside. */
export function shownSourcePath(file: string, roots?: RepoRoots): string {
  const inside = repoRelativePath(file, roots);
  if (inside !== undefined) return inside;
  const name = file.replace(/\\/g, '/').split('/').filter((p) => p !== '' && p !== '.' && p !== '..').at(-1) ?? '';
  return `${OUTSIDE_REPO_PREFIX}${name}`;
}

export interface SourceRepo {
  /** https://github.com or a GitHub Enterprise server URL. */
  serverUrl: string;
  owner: string;
  repo: string;
  /** The commit the links point into (the PR head). */
  sha: string;
  /** Checkouts on the runner: absolute code paths under them are repository files. */
  roots?: RepoRoots;
}

/** The blob URL of `file` at `line` in `repo`, or undefined when `file` is not a repository path. */
export function sourceLink(repo: SourceRepo, file: string, line?: number): string | undefined {
  const path = repoRelativePath(file, repo.roots);
  if (path === undefined) return undefined;
  const segment = (text: string) => encodeURIComponent(text);
  const anchor = line !== undefined && Number.isInteger(line) && line >= 1 ? `#L${line}` : '';
  return `${repo.serverUrl.replace(/\/+$/, '')}/${segment(repo.owner)}/${segment(repo.repo)}/blob/${segment(repo.sha)}/${path.split('/').map(segment).join('/')}${anchor}`;
}

/**
 * A copy of `report` whose paths are fit to publish: code locations repository-relative (or a bare
 * file name when outside), the config file likewise, and the checkout and `scratch` folders (the
 * runner's temp folder) cut out of notes and warnings.
 */
export function withRepoRelativePaths(report: Report, roots: RepoRoots, scratch: readonly string[] = []): Report {
  const configFile = report.experiment.configFile;
  const replacements = [
    ...rootsOf(roots).filter((r) => !r.endsWith('*')).map((r) => [r, '.'] as const),
    ...scratch.map((r) => [r, '$RUNNER_TEMP'] as const),
  ]
    .map(([from, to]) => [from.replace(/[\\/]+$/, ''), to] as const)
    .filter(([from]) => from.length > 1)
    .sort((a, b) => b[0].length - a[0].length);
  const scrub = (text: string) => replacements.reduce((t, [from, to]) => t.split(from).join(to), text);
  return {
    ...report,
    experiment: { ...report.experiment, ...(configFile !== undefined ? { configFile: shownSourcePath(configFile, roots) } : {}) },
    cells: report.cells.map((cell) => ({
      ...cell,
      notes: cell.notes.map(scrub),
      spans: cell.spans.map((span) => (span.code ? { ...span, code: { ...span.code, file: shownSourcePath(span.code.file, roots) } } : span)),
    })),
    warnings: report.warnings.map(scrub),
  };
}

function isAbsolute(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:\//.test(path);
}

/** Resolves `.` and `..` segments; undefined when `..` climbs above the start (or the root). */
function normalize(path: string): string | undefined {
  const absolute = isAbsolute(path);
  const drive = /^[A-Za-z]:/.exec(path)?.[0] ?? '';
  const parts: string[] = [];
  for (const part of path.slice(drive.length).split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(part);
    }
  }
  return `${drive}${absolute ? '/' : ''}${parts.join('/')}`;
}
