/**
 * A fake GitHub REST API on 127.0.0.1 for end-to-end tests of the bundled action. Every request is
 * validated against GitHub's OpenAPI description (openapi.ts): an unknown route answers 404 and an
 * invalid request 422, and both are recorded as violations the tests assert are absent. Responses
 * carry realistic ids and URLs. It also simulates what the action must survive: a read-only token
 * (403 "Resource not accessible by integration"), injected 5xx failures, pagination with Link headers,
 * comments with the marker written by someone else, and malformed replies (`malformed`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { OpenApiValidator } from './openapi.js';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  body: unknown;
  operationId: string | null;
  status: number;
  token: string | null;
}

export interface FakeUser {
  login: string;
  type: 'User' | 'Bot';
  /** Whether writes are allowed (false: the read-only token of a fork PR). */
  write: boolean;
  /** Installation tokens cannot call GET /user. */
  installation: boolean;
}

export interface FakeComment {
  id: number;
  issue: number;
  body: string;
  user: string;
}

export interface FakePull {
  number: number;
  headSha: string;
  headOwner: string;
  headBranch: string;
  labels: string[];
  state: 'open' | 'closed';
}

export interface FakeArtifact {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  expired?: boolean;
}

export interface FakeCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion: string | null;
  output: { title?: string; summary?: string; text?: string };
  annotations: unknown[];
  /** Every create and update, in order: when it arrived, the status after it, and the title sent. */
  history: { at: number; status: string; conclusion: string | null; title: string | undefined }[];
  /** Slug of the app whose installation token created it; null for other tokens. */
  app: string | null;
}

export interface Fault {
  method: string;
  path: RegExp;
  status: number;
  times: number;
  /** Matching requests served normally before the fault applies. */
  skip?: number;
  message?: string;
  headers?: Record<string, string>;
}

/**
 * A successful reply rewritten after the fake served the request (its effect, e.g. a created check run,
 * still happens), as a proxy's page or an API change would: `rewrite` gets the normal JSON body and
 * returns the one sent; a string is sent as is with `contentType` (default text/html).
 */
export interface MalformedReply {
  rewrite: (reply: unknown) => unknown;
  contentType?: string;
}

const REPO_ID = 424242;

export class FakeGitHub {
  readonly requests: RecordedRequest[] = [];
  readonly violations: string[] = [];
  readonly tokens = new Map<string, FakeUser>();
  readonly comments: FakeComment[] = [];
  readonly pulls: FakePull[] = [];
  readonly artifacts: FakeArtifact[] = [];
  readonly checkRuns: FakeCheckRun[] = [];
  readonly labelEvents: { issue: number; label: string; actor: string }[] = [];
  /** Workflow runs; `conclusion` defaults to success. The `status` query filters by status or conclusion, as GitHub does. */
  readonly workflowRuns: { id: number; headSha: string; createdAt: string; conclusion?: string }[] = [];
  readonly faults: Fault[] = [];
  /** Malformed successful replies by operation id, e.g. `malformed.set('checks/create', { rewrite: (r) => ({ ...r, id: null }) })`. */
  readonly malformed = new Map<string, MalformedReply>();
  mergeBase = new Map<string, string>();
  private nextId = 1_000_001;
  private server: Server | null = null;
  private readonly validator = new OpenApiValidator();
  url = '';

  constructor(readonly owner = 'acme', readonly repo = 'studio') {}

  /** Starts listening on 127.0.0.1 on a free port; `url` is the API root. */
  async start(): Promise<string> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  id(): number {
    return this.nextId++;
  }

  /** Requests matching an operation id, in order. */
  calls(operationId: string): RecordedRequest[] {
    return this.requests.filter((r) => r.operationId === operationId);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const token = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? null;
    const record: RecordedRequest = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), body: undefined, operationId: null, status: 0, token };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      const text = body === undefined ? '' : Buffer.isBuffer(body) ? body : JSON.stringify(body);
      res.writeHead(status, { 'content-type': Buffer.isBuffer(body) ? 'application/zip' : 'application/json; charset=utf-8', ...headers });
      res.end(text);
    };
    const sendMalformed = (status: number, body: unknown, malformed: MalformedReply, headers: Record<string, string> = {}) => {
      const rewritten = malformed.rewrite(body);
      if (typeof rewritten !== 'string') return send(status, rewritten, headers);
      record.status = status;
      res.writeHead(status, { ...headers, 'content-type': malformed.contentType ?? 'text/html; charset=utf-8' });
      res.end(rewritten);
    };

    // The blob store an artifact download redirects to (not part of the REST API); a malformed
    // 'actions/download-artifact' reply is served here, where the archive's bytes come from.
    const blob = /^\/_blob\/artifacts\/(\d+)\.zip$/.exec(url.pathname);
    if (blob) {
      const artifact = this.artifacts.find((a) => a.id === Number(blob[1]));
      if (!artifact) return send(404, { message: 'Not Found' });
      const malformed = this.malformed.get('actions/download-artifact');
      return malformed ? sendMalformed(200, artifact.zip, malformed) : send(200, artifact.zip);
    }

    if (raw.length > 0) {
      try {
        record.body = JSON.parse(raw.toString('utf8'));
      } catch {
        this.violations.push(`${method} ${url.pathname}: body is not JSON`);
        return send(400, { message: 'Problems parsing JSON' });
      }
    }
    const validation = this.validator.validate(method, url.pathname, url.searchParams, record.body);
    if (!validation.ok) {
      this.violations.push(validation.problem);
      return send(validation.status, { message: validation.problem, documentation_url: 'https://docs.github.com/rest' });
    }
    record.operationId = validation.operation.operationId;
    const user = token ? this.tokens.get(token) : undefined;
    if (!user) return send(401, { message: 'Bad credentials' });

    const fault = this.faults.find((f) => f.method === method && f.path.test(url.pathname) && f.times > 0);
    if (fault?.skip) fault.skip--;
    else if (fault) {
      fault.times--;
      return send(fault.status, { message: fault.message ?? 'Server Error' }, fault.headers);
    }
    if (method !== 'GET' && !user.write) return send(403, { message: 'Resource not accessible by integration', documentation_url: 'https://docs.github.com/rest' });

    const reply = this.route(validation.operation.operationId, validation.operation.params, url.searchParams, record.body as Record<string, unknown>, user);
    if (!validation.operation.responses.includes(String(reply.status))) {
      this.violations.push(`${validation.operation.operationId}: the fake answered ${reply.status}, which the description does not list`);
    }
    const malformed = this.malformed.get(validation.operation.operationId);
    if (malformed && reply.status < 300) return sendMalformed(reply.status, reply.body, malformed, reply.headers);
    send(reply.status, reply.body, reply.headers);
  }

  private route(operationId: string, params: Record<string, string>, query: URLSearchParams, body: Record<string, unknown>, user: FakeUser): { status: number; body: unknown; headers?: Record<string, string> } {
    const api = this.url;
    const repoUrl = `${api}/repos/${this.owner}/${this.repo}`;
    const html = `https://github.example/${this.owner}/${this.repo}`;
    switch (operationId) {
      case 'users/get-authenticated':
        if (user.installation) return { status: 403, body: { message: 'Resource not accessible by integration' } };
        return { status: 200, body: userJson(user.login, user.type, api) };
      case 'issues/list-comments': {
        const all = this.comments.filter((c) => c.issue === Number(params.issue_number));
        return paginate(all, query, `${repoUrl}/issues/${params.issue_number}/comments`, (c) => commentJson(c, api, html));
      }
      case 'issues/create-comment': {
        const comment = { id: this.id(), issue: Number(params.issue_number), body: String(body.body), user: user.login };
        this.comments.push(comment);
        return { status: 201, body: commentJson(comment, api, html) };
      }
      case 'issues/update-comment': {
        const comment = this.comments.find((c) => c.id === Number(params.comment_id));
        if (!comment) return { status: 422, body: { message: 'Not Found' } };
        if (comment.user !== user.login) return { status: 422, body: { message: 'cannot edit another user’s comment' } };
        comment.body = String(body.body);
        return { status: 200, body: commentJson(comment, api, html) };
      }
      case 'issues/list-events': {
        const events = this.labelEvents
          .filter((e) => e.issue === Number(params.issue_number))
          .map((e, i) => ({ id: 9000 + i, node_id: `LE_${i}`, url: `${repoUrl}/issues/events/${9000 + i}`, actor: userJson(e.actor, 'User', api), event: 'labeled', commit_id: null, commit_url: null, created_at: '2026-11-24T05:00:00Z', label: { name: e.label, color: 'ededed' }, performed_via_github_app: null }));
        return paginate(events, query, `${repoUrl}/issues/${params.issue_number}/events`, (e) => e);
      }
      case 'issues/list-labels-on-issue': {
        const pull = this.pulls.find((p) => p.number === Number(params.issue_number));
        const labels = (pull?.labels ?? []).map((name, i) => ({ id: i + 1, node_id: `LA_${i}`, url: `${repoUrl}/labels/${encodeURIComponent(name)}`, name, description: null, color: 'ededed', default: false }));
        return paginate(labels, query, `${repoUrl}/issues/${params.issue_number}/labels`, (l) => l);
      }
      case 'checks/create': {
        const output = (body.output ?? {}) as FakeCheckRun['output'] & { annotations?: unknown[] };
        const status = body.conclusion ? 'completed' : String(body.status ?? 'queued');
        const run: FakeCheckRun = { id: this.id(), name: String(body.name), head_sha: String(body.head_sha), status, conclusion: (body.conclusion as string) ?? null, output, annotations: [...(output.annotations ?? [])], app: user.installation ? user.login.replace(/\[bot\]$/, '') : null, history: [] };
        run.history.push({ at: Date.now(), status, conclusion: run.conclusion, title: output.title });
        this.checkRuns.push(run);
        return { status: 201, body: checkRunJson(run, api, html) };
      }
      case 'checks/update': {
        const run = this.checkRuns.find((r) => r.id === Number(params.check_run_id));
        if (!run) return { status: 200, body: {} };
        const output = (body.output ?? {}) as FakeCheckRun['output'] & { annotations?: unknown[] };
        run.annotations.push(...(output.annotations ?? []));
        run.output = { ...run.output, ...output };
        if (body.status) run.status = String(body.status);
        if (body.conclusion) {
          run.conclusion = String(body.conclusion);
          run.status = 'completed';
        }
        run.history.push({ at: Date.now(), status: run.status, conclusion: run.conclusion, title: output.title });
        return { status: 200, body: checkRunJson(run, api, html) };
      }
      case 'actions/list-workflow-run-artifacts': {
        const artifacts = this.artifacts.filter((a) => a.runId === Number(params.run_id)).map((a) => artifactJson(a, repoUrl));
        return paginate(artifacts, query, `${repoUrl}/actions/runs/${params.run_id}/artifacts`, (a) => a, (items, total) => ({ total_count: total, artifacts: items }));
      }
      case 'actions/download-artifact': {
        const artifact = this.artifacts.find((a) => a.id === Number(params.artifact_id));
        if (!artifact || artifact.expired) return { status: 410, body: { message: 'Artifact has expired' } };
        return { status: 302, body: undefined, headers: { location: `${api}/_blob/artifacts/${artifact.id}.zip` } };
      }
      case 'actions/list-workflow-runs-for-repo': {
        const wanted = query.get('status');
        const runs = this.workflowRuns.filter((r) => (!query.get('head_sha') || r.headSha === query.get('head_sha')) && (!wanted || wanted === 'completed' || wanted === (r.conclusion ?? 'success')));
        return { status: 200, body: { total_count: runs.length, workflow_runs: runs.map((r) => ({ id: r.id, head_sha: r.headSha, created_at: r.createdAt, status: 'completed', conclusion: r.conclusion ?? 'success' })) } };
      }
      case 'repos/list-pull-requests-associated-with-commit':
        // Like GitHub, a fork's commit is often not associated with the base repository's PR.
        return { status: 200, body: this.pulls.filter((p) => p.headSha === params.commit_sha && p.headOwner === this.owner).map((p) => pullJson(p, api, html, this.owner, this.repo)) };
      case 'pulls/list': {
        const head = query.get('head');
        const pulls = this.pulls.filter((p) => (!head || `${p.headOwner}:${p.headBranch}` === head) && (query.get('state') ?? 'open') === p.state);
        return { status: 200, body: pulls.map((p) => pullJson(p, api, html, this.owner, this.repo)) };
      }
      case 'repos/compare-commits-with-basehead': {
        const base = this.mergeBase.get(String(params.basehead));
        return base ? { status: 200, body: { merge_base_commit: { sha: base }, status: 'ahead', ahead_by: 1, behind_by: 0, total_commits: 1, commits: [], files: [] } } : { status: 404, body: { message: 'Not Found' } };
      }
      default:
        this.violations.push(`${operationId}: the fake does not implement it`);
        return { status: 404, body: { message: 'Not implemented by the fake' } };
    }
  }
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** GitHub's pagination: `per_page` (default 30, max 100), `page` (1-based) and a Link header. */
function paginate<T, U>(all: T[], query: URLSearchParams, base: string, map: (item: T) => U, wrap: (items: U[], total: number) => unknown = (items) => items) {
  const perPage = Math.min(100, Number(query.get('per_page') ?? 30));
  const page = Number(query.get('page') ?? 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage).map(map);
  const link = (p: number, rel: string) => `<${base}?per_page=${perPage}&page=${p}>; rel="${rel}"`;
  const links = [...(page < last ? [link(page + 1, 'next'), link(last, 'last')] : []), ...(page > 1 ? [link(1, 'first'), link(page - 1, 'prev')] : [])];
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {};
  return { status: 200, body: wrap(items, all.length), headers };
}

function userJson(login: string, type: 'User' | 'Bot', api: string) {
  return { login, id: login.length * 1000 + 7, node_id: `U_${login}`, type, site_admin: false, url: `${api}/users/${encodeURIComponent(login)}`, html_url: `https://github.example/${encodeURIComponent(login)}`, avatar_url: 'https://avatars.example/u/1' };
}

function commentJson(c: FakeComment, api: string, html: string) {
  const bot = c.user.endsWith('[bot]');
  return { id: c.id, node_id: `IC_${c.id}`, url: `${api}/comments/${c.id}`, html_url: `${html}/pull/${c.issue}#issuecomment-${c.id}`, body: c.body, user: userJson(c.user, bot ? 'Bot' : 'User', api), created_at: '2026-11-24T05:00:00Z', updated_at: '2026-11-24T05:00:00Z', author_association: bot ? 'NONE' : 'MEMBER' };
}

function checkRunJson(run: FakeCheckRun, api: string, html: string) {
  // GitHub names the app whose installation token created the run (the workflow token's is github-actions).
  const app = run.app ? { id: run.app.length * 100 + 1, slug: run.app, node_id: `A_${run.app}`, name: run.app, owner: null, description: null, external_url: 'https://github.example', html_url: `https://github.example/apps/${run.app}`, created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:00Z', permissions: {}, events: [] } : null;
  return { app, id: run.id, node_id: `CR_${run.id}`, head_sha: run.head_sha, name: run.name, status: run.status, conclusion: run.conclusion, url: `${api}/check-runs/${run.id}`, html_url: `${html}/runs/${run.id}`, details_url: null, output: { title: run.output.title ?? null, summary: run.output.summary ?? null, text: run.output.text ?? null, annotations_count: run.annotations.length } };
}

function artifactJson(a: FakeArtifact, repoUrl: string) {
  return { id: a.id, node_id: `A_${a.id}`, name: a.name, size_in_bytes: a.zip.length, url: `${repoUrl}/actions/artifacts/${a.id}`, archive_download_url: `${repoUrl}/actions/artifacts/${a.id}/zip`, expired: Boolean(a.expired), created_at: '2026-11-24T05:00:00Z', expires_at: '2027-02-22T05:00:00Z', workflow_run: { id: a.runId, repository_id: REPO_ID, head_repository_id: REPO_ID + 1, head_sha: '0'.repeat(40) } };
}

function pullJson(p: FakePull, api: string, html: string, owner: string, repo: string) {
  return {
    id: p.number * 10,
    number: p.number,
    state: p.state,
    url: `${api}/repos/${owner}/${repo}/pulls/${p.number}`,
    html_url: `${html}/pull/${p.number}`,
    labels: p.labels.map((name, i) => ({ id: i + 1, name, color: 'ededed' })),
    head: { sha: p.headSha, ref: p.headBranch, label: `${p.headOwner}:${p.headBranch}`, repo: { full_name: `${p.headOwner}/${repo}` } },
    base: { sha: 'b'.repeat(40), ref: 'main', label: `${owner}:main`, repo: { full_name: `${owner}/${repo}` } },
  };
}
