/**
 * Turns "the token may not do this" replies into a warning that names the fix, so a fork PR or a
 * read-only token degrades to "summary only" instead of failing the job.
 */

/** The permission a publishing step needs, as written in a workflow's `permissions:` block. */
export type Permission = 'pull-requests: write' | 'checks: write' | 'actions: read' | 'contents: read';

/** Whether `error` is GitHub refusing the token (403 without a rate limit, or 404 hiding a private resource). */
export function isPermissionError(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  if (status === 403) return !/rate limit/i.test(String((error as Error).message));
  return false;
}

/** The warning shown when `what` failed for lack of `permission`. */
export function permissionWarning(what: string, permission: Permission, error: unknown): string {
  const reply = String((error as Error).message ?? error).split('\n')[0];
  return (
    `Frametail could not ${what}: GitHub answered "${reply}". The token lacks \`${permission}\`. ` +
    `Add \`permissions: { ${permission} }\` to the job; for pull requests from forks the token is always read-only, ` +
    `so measure with \`mode: run\` on \`pull_request\` and publish with \`mode: report\` on \`workflow_run\` (see the README). ` +
    `The job summary has the full report.`
  );
}
