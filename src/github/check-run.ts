/**
 * The check run on the PR head commit (not the merge commit: GitHub shows checks of the head SHA on
 * the PR). It is created `in_progress` when the job starts, its output updated with progress, and
 * completed with the conclusion; annotations follow in batches of 50 (GitHub's limit per request).
 */
import { z } from 'zod';
import type { PrVerdict } from '../report/model.js';
import { annotationBatches, type Annotation } from './annotations.js';
import type { GitHubClient } from './client.js';
import { parseReply } from './parse-reply.js';
import type { Repo } from './repo.js';

export type Conclusion = 'failure' | 'neutral' | 'success';
export type FinalConclusion = Conclusion | 'cancelled';

export interface CheckOutput {
  title: string;
  summary: string;
  text: string;
}

/** GitHub's limit for a check run's summary and text, in characters. */
export const CHECK_OUTPUT_LIMIT = 65_535;

/** `fail` → failure (neutral when a reviewer accepted it by label), `inconclusive` → neutral, `pass` → success. */
export function conclusionFor(verdict: PrVerdict, accepted: boolean): Conclusion {
  if (verdict === 'fail') return accepted ? 'neutral' : 'failure';
  return verdict === 'inconclusive' ? 'neutral' : 'success';
}

/**
 * The fields of the created check run we read (`html_url` and `app` are nullable in GitHub's description).
 * `app.slug` names the app behind an installation token, whose comments are authored by `<slug>[bot]`.
 * The update replies are not read.
 */
const checkRunReply = z.object({
  id: z.number().int(),
  html_url: z.string().nullable(),
  app: z.object({ slug: z.string().min(1).optional() }).nullable().optional(),
});

export interface CreatedCheckRun {
  id: number;
  url: string | null;
  appSlug: string | null;
}

/** Creates the check run `in_progress`, so a required check is there (and running) for the whole matrix. */
export async function startCheckRun(client: GitHubClient, repo: Repo, request: { name: string; headSha: string; output: CheckOutput; detailsUrl?: string }): Promise<CreatedCheckRun> {
  const { data } = await client.rest.checks.create({
    ...repo,
    name: request.name,
    head_sha: request.headSha,
    status: 'in_progress',
    started_at: new Date().toISOString(),
    ...(request.detailsUrl ? { details_url: request.detailsUrl } : {}),
    output: fitOutput(request.output),
  });
  const created = parseReply(checkRunReply, data, 'POST /repos/{owner}/{repo}/check-runs');
  return { id: created.id, url: created.html_url, appSlug: created.app?.slug ?? null };
}

/** Replaces the output of a running check (progress). */
export async function updateCheckRunOutput(client: GitHubClient, repo: Repo, id: number, output: CheckOutput, signal?: AbortSignal): Promise<void> {
  await client.rest.checks.update({ ...repo, check_run_id: id, output: fitOutput(output), ...(signal ? { request: { signal } } : {}) });
}

/** Completes the check run with its conclusion and final output (annotations are sent after, see addAnnotations). */
export async function completeCheckRun(client: GitHubClient, repo: Repo, id: number, conclusion: FinalConclusion, output: CheckOutput, signal?: AbortSignal): Promise<void> {
  await client.rest.checks.update({
    ...repo,
    check_run_id: id,
    status: 'completed',
    conclusion,
    completed_at: new Date().toISOString(),
    output: fitOutput(output),
    ...(signal ? { request: { signal } } : {}),
  });
}

/**
 * Adds annotations in batches of 50 (each request repeats the title and summary, as the API requires).
 * A refused batch is a warning, never a lost verdict: the check run is already completed. Returns the
 * number of requests that succeeded.
 */
export async function addAnnotations(client: GitHubClient, repo: Repo, id: number, output: CheckOutput, annotations: Annotation[], warn: (message: string) => void): Promise<number> {
  const { title, summary } = fitOutput(output);
  let sent = 0;
  for (const [i, batch] of annotationBatches(annotations).entries()) {
    try {
      await client.rest.checks.update({ ...repo, check_run_id: id, output: { title, summary, annotations: batch } });
      sent++;
    } catch (error) {
      const status = (error as { status?: number }).status;
      warn(`GitHub refused annotations ${i * 50 + 1}–${i * 50 + batch.length} of ${annotations.length}${status ? ` (${status})` : ''}: ${String((error as Error).message ?? error).split('\n')[0]}. The check run is complete; the job summary names the same lines.`);
    }
  }
  return sent;
}

function fitOutput(output: CheckOutput): CheckOutput {
  return { title: cap(output.title, 255), summary: cap(output.summary, CHECK_OUTPUT_LIMIT), text: cap(output.text, CHECK_OUTPUT_LIMIT) };
}

/** Last-resort cut at a line break (the renderers already fit their budgets; this only guards the API limit). */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '\n\n_(cut to fit GitHub’s limit)_';
  const room = text.slice(0, max - note.length);
  const lineEnd = room.lastIndexOf('\n');
  return `${lineEnd > room.length / 2 ? room.slice(0, lineEnd) : room}${note}`;
}
