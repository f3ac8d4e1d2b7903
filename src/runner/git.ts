/**
 * The only git adapter: resolving refs and making a worktree for the base side (DESIGN §2). Every
 * failure a user can fix (not a repository, unknown ref, shallow clone) is an InputError saying how.
 */
import { execFile, execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { InputError } from '../errors.js';

const exec = promisify(execFile);

/** Runs git in `dir`; resolves to trimmed stdout, or null when git exits non-zero. */
async function git(dir: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await exec('git', ['-C', dir, ...args], { maxBuffer: 16 * 1024 * 1024 });
    return stdout.trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new InputError('git is not installed (it is needed to check out the base side)');
    return null;
  }
}

/** The top directory of the repository holding `dir`; InputError when there is none. */
export async function repositoryRoot(dir: string): Promise<string> {
  const root = await git(dir, ['rev-parse', '--show-toplevel']);
  if (!root) throw new InputError(`${dir} is not inside a git repository (bench needs one to check out the base side; use \`frametail run\` to measure a plain directory)`);
  return root;
}

/** A ref resolved to a commit, and how it was chosen. */
export interface ResolvedRef {
  ref: string;
  sha: string;
  /** True when the ref named a branch and the commit is its merge-base with HEAD. */
  mergeBase: boolean;
}

/** Whether `ref` names a branch (local or remote-tracking) rather than a tag or a commit. */
async function isBranch(root: string, ref: string): Promise<boolean> {
  for (const full of [`refs/heads/${ref}`, `refs/remotes/${ref}`, `refs/remotes/origin/${ref}`]) {
    if ((await git(root, ['show-ref', '--verify', '--quiet', full])) !== null) return true;
  }
  return false;
}

/**
 * The base commit for `ref`: the merge-base of the branch with HEAD when `ref` is a branch (what the
 * PR is compared with), else the commit it names. A shallow clone that lacks the commit gets a message
 * saying what to fetch.
 */
export async function resolveBase(root: string, ref: string): Promise<ResolvedRef> {
  const sha = await git(root, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  const shallow = (await git(root, ['rev-parse', '--is-shallow-repository'])) === 'true';
  if (!sha) {
    if (shallow) throw shallowError(ref);
    throw new InputError(`unknown ref "${ref}": no branch, tag or commit of that name in ${root} (try \`git fetch origin ${ref}\`)`);
  }
  if (!(await isBranch(root, ref))) return { ref, sha, mergeBase: false };
  const base = await git(root, ['merge-base', sha, 'HEAD']);
  if (!base) {
    if (shallow) throw shallowError(ref);
    throw new InputError(`"${ref}" has no common history with HEAD; pass a commit with --base`);
  }
  return { ref, sha: base, mergeBase: true };
}

/** The commit and name of HEAD (or of `ref`) for the head side's header. */
export async function resolveHead(root: string, ref?: string): Promise<ResolvedRef> {
  const target = ref ?? 'HEAD';
  const sha = await git(root, ['rev-parse', '--verify', '--quiet', `${target}^{commit}`]);
  if (!sha) throw new InputError(`unknown ref "${target}" in ${root}`);
  const name = ref ?? (await git(root, ['rev-parse', '--abbrev-ref', 'HEAD'])) ?? 'HEAD';
  return { ref: name, sha, mergeBase: false };
}

function shallowError(ref: string): InputError {
  return new InputError(
    `base commit ${ref} is not in this clone (it is shallow): fetch it with \`git fetch --deepen=100 origin\` ` +
      `(or \`git fetch --unshallow\`), or use actions/checkout with fetch-depth: 0`,
  );
}

/** Worktrees not yet removed, for removeWorktreesNow. */
const liveWorktrees = new Set<{ root: string; dir: string }>();

/**
 * Removes every worktree still checked out, synchronously: for a SIGINT/SIGTERM handler, where the
 * `finally` that normally removes them will not run.
 */
export function removeWorktreesNow(): void {
  for (const { root, dir } of liveWorktrees) {
    try {
      execFileSync('git', ['-C', root, 'worktree', 'remove', '--force', dir], { stdio: 'ignore' });
    } catch {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  liveWorktrees.clear();
}

/** A detached worktree of one commit; `remove` deletes it and is safe to call twice. */
export interface Worktree {
  dir: string;
  sha: string;
  remove(): Promise<void>;
}

/**
 * Checks out `sha` as a detached worktree of `root`, in a fresh directory below `parentDir` (default:
 * the system's temporary directory).
 */
export async function addWorktree(root: string, sha: string, parentDir: string = tmpdir()): Promise<Worktree> {
  await mkdir(parentDir, { recursive: true });
  const dir = await mkdtemp(join(parentDir, 'frametail-worktree-'));
  try {
    await exec('git', ['-C', root, 'worktree', 'add', '--detach', '--force', dir, sha]);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new InputError(`cannot check out ${sha} into a worktree: ${((error as { stderr?: string }).stderr ?? String(error)).trim()}`);
  }
  let removed = false;
  const live = { root, dir };
  liveWorktrees.add(live);
  return {
    dir,
    sha,
    async remove() {
      if (removed) return;
      removed = true;
      liveWorktrees.delete(live);
      await git(root, ['worktree', 'remove', '--force', dir]);
      await rm(dir, { recursive: true, force: true });
      await git(root, ['worktree', 'prune']);
    },
  };
}
