/**
 * The Octokit client every GitHub adapter receives as a parameter: `@actions/github`'s client with the
 * retry plugin (5xx and other transient errors) and the throttling plugin (429, primary and secondary
 * rate limits), pointed at `GITHUB_API_URL` so GitHub Enterprise Server works.
 */
import { getOctokit } from '@actions/github';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';

export type GitHubClient = ReturnType<typeof getOctokit>;

export interface ClientOptions {
  /** REST API root, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  baseUrl: string;
  /** Retries for transient failures and for rate limits (each). */
  retries?: number;
  /** Milliseconds a "retry after 1 s" waits; lowered only by tests so retries stay fast. */
  retryAfterBaseMs?: number;
  /** Where rate-limit notices go (core.warning in the action). */
  warn: (message: string) => void;
}

/** A client for `token` with retries and rate-limit handling. */
export function createClient(token: string, options: ClientOptions): GitHubClient {
  const retries = options.retries ?? 3;
  const base = options.retryAfterBaseMs ?? 1000;
  // The plugin types the handler as returning void, but it reads the boolean: true = retry.
  const onLimit = (kind: string) => (retryAfter: number, request: { method: string; url: string }, _octokit: unknown, retryCount: number) => {
    const again = retryCount < retries;
    options.warn(`GitHub ${kind} rate limit on ${request.method} ${request.url}; ${again ? `retrying after ${retryAfter} s` : 'giving up'}`);
    return again;
  };
  return getOctokit(
    token,
    {
      baseUrl: options.baseUrl,
      retry: { retries, retryAfterBaseValue: base },
      throttle: { retryAfterBaseValue: base, onRateLimit: onLimit('primary'), onSecondaryRateLimit: onLimit('secondary') },
    },
    retry,
    throttling,
  );
}
