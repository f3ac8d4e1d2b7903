/**
 * The check run on the PR head commit (not the merge commit: GitHub shows checks of the head SHA on
 * the PR). GitHub takes at most 50 annotations per request, so the run is created with the first 50
 * and updated with each further batch; every request repeats the title and summary, as the API requires.
 */
import { z } from 'zod';
import type { PrVerdict } from '../report/model.js';
import { annotationBatches, type Annotation } from './annotations.js';
import type { GitHubClient } from './client.js';
import { parseReply } from './parse-reply.js';
import type { Repo } from './repo.js';

export type Conclusion = 'failure' | 'neutral' | 'success';

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

export interface CheckRunRequest {
  name: string;
  headSha: string;
  conclusion: Conclusion;
  output: CheckOutput;
  annotations: Annotation[];
  detailsUrl?: string;
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

/** Creates the completed check run and sends the remaining annotation batches; returns its id and URL. */
export async function publishCheckRun(client: GitHubClient, repo: Repo, request: CheckRunRequest): Promise<{ id: number; url: string | null; requests: number; appSlug: string | null }> {
  const [first = [], ...rest] = annotationBatches(request.annotations);
  const output = { title: cap(request.output.title, 255), summary: cap(request.output.summary, CHECK_OUTPUT_LIMIT), text: cap(request.output.text, CHECK_OUTPUT_LIMIT) };
  const { data } = await client.rest.checks.create({
    ...repo,
    name: request.name,
    head_sha: request.headSha,
    status: 'completed',
    conclusion: request.conclusion,
    completed_at: new Date().toISOString(),
    ...(request.detailsUrl ? { details_url: request.detailsUrl } : {}),
    output: { ...output, ...(first.length > 0 ? { annotations: first } : {}) },
  });
  const created = parseReply(checkRunReply, data, 'POST /repos/{owner}/{repo}/check-runs');
  for (const batch of rest) {
    await client.rest.checks.update({ ...repo, check_run_id: created.id, output: { title: output.title, summary: output.summary, annotations: batch } });
  }
  return { id: created.id, url: created.html_url, requests: 1 + rest.length, appSlug: created.app?.slug ?? null };
}

/** Last-resort cut at a line break (the renderers already fit their budgets; this only guards the API limit). */
export function cap(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '\n\n_(cut to fit GitHub’s limit)_';
  const room = text.slice(0, max - note.length);
  const lineEnd = room.lastIndexOf('\n');
  return `${lineEnd > room.length / 2 ? room.slice(0, lineEnd) : room}${note}`;
}
