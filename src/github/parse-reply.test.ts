import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { GitHubReplyError, parseReply, replyPages, type ReplyPage } from './parse-reply.js';

const CHECK_RUNS = 'POST /repos/{owner}/{repo}/check-runs';
const checkRun = z.object({ id: z.number().int(), html_url: z.string().nullable() });
const runs = z.object({ workflow_runs: z.array(z.object({ id: z.number().int(), created_at: z.string() })) });

function replyError(run: () => unknown): GitHubReplyError {
  try {
    run();
  } catch (error) {
    if (error instanceof GitHubReplyError) return error;
    throw error;
  }
  throw new Error('expected a GitHubReplyError');
}

describe('parseReply', () => {
  it('passes a good reply through with only the fields read, documented nulls allowed', () => {
    const reply = { id: 4711, html_url: null, node_id: 'CR_1', output: { title: 't' } };
    expect(parseReply(checkRun, reply, CHECK_RUNS)).toEqual({ id: 4711, html_url: null });
  });

  it('names the endpoint and the field of a missing or null id', () => {
    expect(() => parseReply(checkRun, { html_url: 'https://x' }, CHECK_RUNS)).toThrow(`GitHub API reply of ${CHECK_RUNS}: id: expected number, got undefined`);
    const error = replyError(() => parseReply(checkRun, { id: null, html_url: 'https://x' }, CHECK_RUNS));
    expect(error.message).toBe(`GitHub API reply of ${CHECK_RUNS}: id: expected number, got null`);
    expect([error.endpoint, error.field]).toEqual([CHECK_RUNS, 'id']);
  });

  it('names a field inside a list by its index', () => {
    const reply = { workflow_runs: [{ id: 1, created_at: '2026-11-24T05:00:00Z' }, { id: '2', created_at: '2026-11-24T05:00:00Z' }] };
    expect(() => parseReply(runs, reply, 'GET /repos/{owner}/{repo}/actions/runs')).toThrow('GET /repos/{owner}/{repo}/actions/runs: workflow_runs[1].id: expected number, got string "2"');
  });

  it('says when an HTML page came back instead of JSON', () => {
    const page = '<!DOCTYPE html><html><head><title>Sign in to your corporate proxy</title></head></html>';
    const error = replyError(() => parseReply(z.object({ login: z.string() }), page, 'GET /user'));
    expect(error.field).toBe('(reply)');
    expect(error.message).toMatch(/^GitHub API reply of GET \/user: \(reply\): expected object, got an HTML page "<!DOCTYPE html><html><head><title>Sign i…" \(is a proxy or login page answering for the GitHub API\?\)$/);
  });

  it('throws only GitHubReplyError for any JSON value, never a TypeError', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        try {
          parseReply(runs, value, 'GET /x');
        } catch (error) {
          expect(error).toBeInstanceOf(GitHubReplyError);
          expect((error as Error).message.startsWith('GitHub API reply of GET /x: ')).toBe(true);
        }
      }),
    );
  });
});

describe('replyPages', () => {
  const page = (data: unknown, next: boolean): ReplyPage => ({ data, headers: next ? { link: '<https://api/x?page=2>; rel="next"' } : {} });
  const items = z.array(z.object({ id: z.number() }));

  it('reads pages while the Link header names a next one, each parsed', async () => {
    const served = [page([{ id: 1 }, { id: 2 }], true), page([{ id: 3 }], false)];
    const asked: number[] = [];
    const seen: number[] = [];
    for await (const list of replyPages((n) => (asked.push(n), Promise.resolve(served[n - 1]!)), items, 'GET /x')) seen.push(...list.map((i) => i.id));
    expect(seen).toEqual([1, 2, 3]);
    expect(asked).toEqual([1, 2]);
  });

  it('names the page of a malformed item', async () => {
    const served = [page([{ id: 1 }], true), page([{ id: 2 }, {}], false)];
    const read = async () => {
      for await (const _list of replyPages((n) => Promise.resolve(served[n - 1]!), items, 'GET /x'));
    };
    await expect(read()).rejects.toThrow('GitHub API reply of GET /x (page 2): [1].id: expected number, got undefined');
  });

  it('stops a reply that always promises another page', async () => {
    const read = async () => {
      for await (const _list of replyPages(() => Promise.resolve(page([], true)), items, 'GET /x', 3));
    };
    await expect(read()).rejects.toThrow('GitHub API reply of GET /x: (pages): more than 3 pages; stopped reading');
  });
});
