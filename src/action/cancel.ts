/**
 * Cancellation (`cancel-in-progress`, the Cancel button): the runner sends SIGINT, then SIGTERM 7.5 s
 * later, then kills. Within that time the action takes the measured runs down with it (each run has its
 * own process group), removes the base worktree and its scratch folders (self-hosted runners keep the
 * workspace), completes the check run as `cancelled` (it would otherwise stay "in progress" for good),
 * notes it in the job summary, and exits as the signal would. A second signal exits at once.
 */
import * as core from '@actions/core';
import { appendFileSync, rmdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { removeWorktreesNow } from '../runner/git.js';
import { killActiveRuns } from '../runner/process.js';
import type { CheckLifecycle } from './check-lifecycle.js';

export interface Interruption {
  /** The check run to complete as cancelled, once the pipeline created it. */
  check: CheckLifecycle | null;
  /** RUNNER_TEMP/frametail: results, reports and (through TMPDIR) every scratch folder. */
  outDir: string;
  /** `.frametail/worktrees` in the repository, removed when empty; null until the inputs are read. */
  worktreeDir: string | null;
  summaryFile: string | undefined;
}

/** How long the cancelled check run may take before the action exits anyway (the runner kills at 7.5 s). */
export const CANCEL_DEADLINE_MS = 4_000;

const EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** Handles SIGINT and SIGTERM for the rest of the run; returns the function that stops handling them. */
export function onInterrupt(state: Interruption): () => void {
  let stopping = false;
  const handlers = (Object.keys(EXIT_CODES) as (keyof typeof EXIT_CODES)[]).map((signal) => {
    const handler = () => {
      if (stopping) process.exit(EXIT_CODES[signal]);
      stopping = true;
      void cancel(state, signal).finally(() => process.exit(EXIT_CODES[signal]));
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  return () => handlers.forEach((off) => off());
}

async function cancel(state: Interruption, signal: string): Promise<void> {
  // The matrix loop may start another run before the process exits: keep taking them down.
  const killer = setInterval(killActiveRuns, 25);
  try {
    killActiveRuns();
    removeWorktreesNow();
    removeScratch(state);
    core.warning(`Frametail was cancelled (${signal}): the runs in flight were stopped and no verdict was reached.`);
    if (state.summaryFile) {
      try {
        appendFileSync(state.summaryFile, `Frametail was cancelled (${signal}) before it reached a verdict.\n`);
      } catch {
        // The summary is a courtesy; cancelling goes on.
      }
    }
    const check = state.check;
    if (check?.running) {
      const output = { title: 'Cancelled', summary: `Frametail was cancelled (${signal}) before it reached a verdict; re-run the job to measure again.`, text: '' };
      const deadline = AbortSignal.timeout(CANCEL_DEADLINE_MS);
      await Promise.race([check.complete('cancelled', output, deadline), new Promise((resolve) => setTimeout(resolve, CANCEL_DEADLINE_MS).unref())]);
    }
  } finally {
    clearInterval(killer);
    killActiveRuns();
    // The matrix loop may have written a results line of a killed run meanwhile: remove what it made.
    removeScratch(state);
  }
}

function removeScratch(state: Interruption): void {
  rmSync(state.outDir, { recursive: true, force: true });
  if (state.worktreeDir) removeEmptyWorktreeDir(state.worktreeDir);
}

/** Removes `.frametail/worktrees`, then `.frametail`, each only if nothing else is in it. */
export function removeEmptyWorktreeDir(worktreeDir: string): void {
  for (const dir of [worktreeDir, dirname(worktreeDir)]) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}
