/**
 * Who the token acts as, so the sticky comment is only ever one this token wrote. `GET /user` answers
 * for personal access tokens, but fails for installation tokens (prefix `ghs_`: the workflow's
 * GITHUB_TOKEN, or a GitHub App's), which post as their app's bot, `<app slug>[bot]`. The publisher
 * learns the slug from the check run it created (`app.slug`); without a check run (no checks: write)
 * it assumes the workflow token's bot, `github-actions[bot]`.
 */
import { z } from 'zod';
import type { GitHubClient } from './client.js';
import { GitHubReplyError, parseReply } from './parse-reply.js';

export const WORKFLOW_TOKEN_ACTOR = 'github-actions[bot]';

/** Whether the token is an installation token (the workflow token or a GitHub App's). */
export function isInstallationToken(token: string): boolean {
  return token.startsWith('ghs_');
}

/**
 * The login comments by this token carry. Installation tokens → `github-actions[bot]` (or `botLogin`
 * when a GitHub App token is used and its bot login is known); otherwise `GET /user`, falling back to
 * the workflow bot when that call is refused. A reply without a login is not a refusal: guessing the
 * bot would pick the bot's comment, which this token cannot edit, so that GitHubReplyError goes to the caller.
 */
export async function tokenActor(client: GitHubClient, token: string, botLogin?: string): Promise<string> {
  if (isInstallationToken(token)) return botLogin ?? WORKFLOW_TOKEN_ACTOR;
  try {
    const { data } = await client.rest.users.getAuthenticated();
    return parseReply(z.object({ login: z.string().min(1) }), data, 'GET /user').login;
  } catch (error) {
    if (error instanceof GitHubReplyError) throw error;
    return botLogin ?? WORKFLOW_TOKEN_ACTOR;
  }
}
