/**
 * The repository every GitHub adapter addresses: `{ owner, repo }`, the shape Octokit's REST methods
 * take. The adapters own this type; the action's event reader (src/action/event.ts) produces it.
 */
export interface Repo {
  owner: string;
  repo: string;
}
