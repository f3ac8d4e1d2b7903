/**
 * The check run across the whole job: created `in_progress` before anything is measured (a required
 * check is present and running, not missing, for a 30-minute matrix), its output updated with progress
 * no more often than `progressIntervalMs` (GitHub's secondary rate limits punish bursts of writes),
 * and completed exactly once: with the verdict, with `failure` when the job broke, or `cancelled` when
 * the runner cancels the job. Every request degrades to a warning: the check run is never worth the
 * verdict, and a token without `checks: write` (fork PR) turns it off after one warning.
 */
import { completeCheckRun, startCheckRun, updateCheckRunOutput, type CheckOutput, type FinalConclusion } from '../github/check-run.js';
import type { GitHubClient } from '../github/client.js';
import { GitHubReplyError } from '../github/parse-reply.js';
import { isPermissionError, permissionWarning } from '../github/permissions.js';
import type { Repo } from '../github/repo.js';
import { escapeMarkdownText, truncate } from '../report/escape.js';
import type { ProgressSink } from '../runner/progress.js';

export interface CheckLifecycleOptions {
  client: GitHubClient;
  repo: Repo;
  name: string;
  headSha: string;
  detailsUrl: string;
  /** Least time between two progress updates. */
  progressIntervalMs: number;
  warn: (message: string) => void;
  now?: () => number;
}

export class CheckLifecycle {
  /** Id of the check run once created; null before, or when it could not be. */
  id: number | null = null;
  /** Slug of the app whose token created the run (whose comments are `<slug>[bot]`). */
  appSlug: string | null = null;
  private disabled = false;
  private completed = false;
  private lastUpdate = Number.NEGATIVE_INFINITY;
  private pendingOutput: CheckOutput | null = null;
  private inFlight: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly options: CheckLifecycleOptions) {
    this.now = options.now ?? (() => Date.now());
  }

  /** Creates the check run in progress; a refusal is a warning and turns the check run off. */
  async start(output: CheckOutput): Promise<void> {
    if (this.disabled || this.id !== null) return;
    const created = await this.attempt('create the check run', () =>
      startCheckRun(this.options.client, this.options.repo, { name: this.options.name, headSha: this.options.headSha, output, detailsUrl: this.options.detailsUrl }),
    );
    if (created) {
      this.id = created.id;
      this.appSlug = created.appSlug;
      this.lastUpdate = this.now();
    }
  }

  /**
   * Shows `output` as the check's progress: at once when the last update is old enough, else when the
   * interval has passed (only the newest output is sent). Never waits for GitHub.
   */
  progress(output: CheckOutput): void {
    if (this.id === null || this.completed || this.disabled) return;
    this.pendingOutput = output;
    const wait = this.lastUpdate + this.options.progressIntervalMs - this.now();
    if (wait > 0) {
      this.timer ??= setTimeout(() => {
        this.timer = null;
        this.flush();
      }, wait);
      this.timer.unref();
      return;
    }
    this.flush();
  }

  /** Completes the check run (once; later calls do nothing). Returns whether GitHub took it. */
  async complete(conclusion: FinalConclusion, output: CheckOutput, signal?: AbortSignal): Promise<boolean> {
    if (this.completed || this.disabled) return false;
    this.completed = true;
    if (this.timer) clearTimeout(this.timer);
    this.pendingOutput = null;
    await this.inFlight;
    // Never created (a transient failure at the start): create it now, so the verdict still gets a check.
    if (this.id === null) await this.start(output);
    if (this.id === null) return false;
    const id = this.id;
    const done = await this.attempt('complete the check run', () => completeCheckRun(this.options.client, this.options.repo, id, conclusion, output, signal).then(() => true));
    return done === true;
  }

  /** Whether the check run was created and not yet completed (a signal handler completes it as cancelled). */
  get running(): boolean {
    return this.id !== null && !this.completed && !this.disabled;
  }

  private flush(): void {
    const output = this.pendingOutput;
    const id = this.id;
    if (!output || id === null || this.completed || this.disabled) return;
    this.pendingOutput = null;
    this.lastUpdate = this.now();
    this.inFlight = this.inFlight.then(async () => {
      if (this.completed) return;
      await this.attempt('update the check run', () => updateCheckRunOutput(this.options.client, this.options.repo, id, output));
    });
  }

  /** Runs one request; any failure is a warning (a refusal or a malformed reply also turns the check run off). */
  private async attempt<T>(what: string, request: () => Promise<T>): Promise<T | null> {
    try {
      return await request();
    } catch (error) {
      if (isPermissionError(error)) {
        this.disabled = true;
        this.options.warn(permissionWarning(what, 'checks: write', error));
      } else {
        // A malformed reply may come with a check run created after all: trying again could make a second one.
        if (error instanceof GitHubReplyError) this.disabled = true;
        const reason = error instanceof GitHubReplyError ? error.message : `${(error as { status?: number }).status ?? ''} ${String((error as Error).message ?? error).split('\n')[0]}`.trim();
        this.options.warn(`Frametail could not ${what}: ${reason}. The verdict is unchanged and the job summary has the full report.`);
      }
      return null;
    }
  }
}

/** A progress sink (runner/progress.ts) that shows the matrix's progress as the check run's output. */
export function checkProgress(check: CheckLifecycle, experiment: string): ProgressSink {
  let label = '';
  let failed = 0;
  return {
    begin(stretch) {
      label = stretch;
    },
    runDone(run, done, total) {
      if (run.status !== 'completed') failed++;
      check.progress(progressOutput(experiment, `${label}: ${done} of ${total} runs done${failed ? `, ${failed} failed or timed out` : ''}`));
    },
    end() {},
  };
}

/** The output of a running check: what is being measured and how far along it is. */
export function progressOutput(experiment: string, status: string): CheckOutput {
  return {
    title: `Measuring: ${status}`.slice(0, 200),
    summary: `Frametail is measuring **${escapeMarkdownText(truncate(experiment, 200))}**.\n\n${escapeMarkdownText(status)}\n\nThe verdict appears here when the matrix is done.`,
    text: '',
  };
}
