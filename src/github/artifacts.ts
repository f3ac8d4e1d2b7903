/**
 * Downloads results artifacts through the REST API and unpacks them in memory within size limits.
 * Artifacts from a fork's run are untrusted: the zip size, entry count and sizes are capped, unsafe
 * entry names are refused (src/github/zip.ts), and the results inside are re-validated line by line.
 */
import { InputError } from '../errors.js';
import type { GitHubClient } from './client.js';
import { readZip, type ZipEntry, type ZipLimits } from './zip.js';
import type { Repo } from '../action/event.js';

export interface ArtifactLimits extends ZipLimits {
  maxArchiveBytes: number;
  maxArtifacts: number;
}

export const DEFAULT_ARTIFACT_LIMITS: ArtifactLimits = {
  maxArchiveBytes: 50 * 1024 * 1024,
  maxArtifacts: 64,
  maxEntries: 16,
  maxEntryBytes: 100 * 1024 * 1024,
  maxTotalBytes: 200 * 1024 * 1024,
};

export interface ArtifactRef {
  id: number;
  name: string;
  sizeInBytes: number;
}

/** Whether an artifact name is `name` itself or one of its shards (`name-shard-2-of-4`). */
export function isResultsArtifact(artifact: string, name: string): boolean {
  return artifact === name || new RegExp(`^${name.replace(/[.]/g, '\\.')}-shard-\\d+-of-\\d+$`).test(artifact);
}

/** The results artifacts (all shards) of workflow run `runId`, unexpired, in name order. */
export async function listResultsArtifacts(client: GitHubClient, repo: Repo, runId: number, name: string, limits = DEFAULT_ARTIFACT_LIMITS): Promise<ArtifactRef[]> {
  const artifacts = await client.paginate(client.rest.actions.listWorkflowRunArtifacts, { ...repo, run_id: runId, per_page: 100 });
  const mine = artifacts
    .filter((a) => !a.expired && isResultsArtifact(a.name, name))
    .map((a) => ({ id: a.id, name: a.name, sizeInBytes: a.size_in_bytes }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (mine.length > limits.maxArtifacts) throw new InputError(`run ${runId} has ${mine.length} "${name}" artifacts, more than the ${limits.maxArtifacts} allowed`);
  return mine;
}

/** Downloads one artifact's zip and unpacks it in memory, refusing anything past `limits`. */
export async function downloadArtifact(client: GitHubClient, repo: Repo, artifact: ArtifactRef, limits = DEFAULT_ARTIFACT_LIMITS): Promise<ZipEntry[]> {
  const tooBig = () => new InputError(`artifact "${artifact.name}" is larger than ${limits.maxArchiveBytes} bytes; it is not read`);
  if (artifact.sizeInBytes > limits.maxArchiveBytes) throw tooBig();
  const { data } = await client.rest.actions.downloadArtifact({ ...repo, artifact_id: artifact.id, archive_format: 'zip' });
  const archive = Buffer.from(data as ArrayBuffer);
  if (archive.length > limits.maxArchiveBytes) throw tooBig();
  return readZip(archive, limits, `artifact "${artifact.name}"`);
}
