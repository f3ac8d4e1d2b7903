/**
 * GitHub API replies are external data: a proxy's login page, an API change or a truncated body must
 * not flow on as `undefined` (a comment id of "undefined") or crash with a TypeError far from the cause.
 * Each adapter declares a small zod schema of exactly the fields it reads and parses the reply's `data`
 * here; a mismatch becomes a GitHubReplyError naming the endpoint and the field. Publishing calls turn
 * it into a warning (src/action/publish.ts, pipeline.ts); replies the report is built from (artifacts,
 * the baseline run) fail the step with its message (src/action/run.ts).
 */
import type { z } from 'zod';

/** A reply that does not have the shape the code reads, e.g. "… POST /repos/{owner}/{repo}/check-runs: id: expected number, got null". */
export class GitHubReplyError extends Error {
  override readonly name = 'GitHubReplyError';
  constructor(
    /** "METHOD /path/{template}" as in GitHub's REST reference. */
    readonly endpoint: string,
    /** Path of the offending field ("workflow_runs[1].id"), "(reply)" for the whole body. */
    readonly field: string,
    problem: string,
  ) {
    super(`GitHub API reply of ${endpoint}: ${field}: ${problem}`);
  }
}

/** `data` as `schema`'s output type, or a GitHubReplyError naming `endpoint` and the first bad field. */
export function parseReply<S extends z.ZodType>(schema: S, data: unknown, endpoint: string): z.output<S> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const value = valueAt(data, issue.path);
  const problem = issue.code === 'invalid_type' ? `expected ${issue.expected}, got ${describeValue(value)}` : `${issue.message} (got ${describeValue(value)})`;
  throw new GitHubReplyError(endpoint, fieldPath(issue.path), problem);
}

/** One page of a list endpoint as Octokit returns it (status, headers with the Link header, data). */
export interface ReplyPage {
  data: unknown;
  headers: { link?: string | undefined };
}

/**
 * Every page of a paginated list, each parsed with `schema` before it is used. Pages are requested by
 * number while the Link header names a `next` page. Octokit's own paginator is not used: it reshapes
 * `data` before we could look at it, and throws a TypeError on a non-JSON page.
 */
export async function* replyPages<S extends z.ZodType>(fetchPage: (page: number) => Promise<ReplyPage>, schema: S, endpoint: string, maxPages = 100): AsyncGenerator<z.output<S>> {
  for (let page = 1; ; page++) {
    if (page > maxPages) throw new GitHubReplyError(endpoint, '(pages)', `more than ${maxPages} pages; stopped reading`);
    const reply = await fetchPage(page);
    yield parseReply(schema, reply.data, page === 1 ? endpoint : `${endpoint} (page ${page})`);
    if (!/rel="next"/.test(reply.headers.link ?? '')) return;
  }
}

/** "workflow_runs[1].id"; "(reply)" when the whole body is wrong. */
function fieldPath(path: readonly PropertyKey[]): string {
  const text = path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
  return text || '(reply)';
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let value = data;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** What was there instead, short: a type, and the start of a string (an HTML page says "proxy"). */
function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'string') {
    const start = JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
    return /^\s*</.test(value) ? `an HTML page ${start} (is a proxy or login page answering for the GitHub API?)` : `string ${start}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  if (value instanceof ArrayBuffer || ArrayBuffer.isView(value)) return 'binary data';
  return typeof value;
}
