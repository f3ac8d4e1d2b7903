/**
 * Downloads results artifacts through the REST API and unpacks them in memory within size limits.
 * Artifacts from a fork's run are untrusted: the zip size, entry count and sizes are capped, unsafe
 * entry names are refused (src/github/zip.ts), and the results inside are re-validated line by line.
 */
import { z } from 'zod';
import { InputError } from '../errors.js';
import type { GitHubClient } from './client.js';
import { parseReply, replyPages } from './parse-reply.js';
import { readZip, type ZipEntry, type ZipLimits } from './zip.js';
import type { Repo } from './repo.js';

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

const artifactsPage = z.object({
  artifacts: z.array(z.object({ id: z.number().int(), name: z.string(), size_in_bytes: z.number(), expired: z.boolean() })),
});
/** The zip arrives as binary data; a string here is a page some proxy sent instead. */
const zipReply = z.custom<ArrayBuffer | ArrayBufferView>((data) => data instanceof ArrayBuffer || ArrayBuffer.isView(data), 'expected the zip archive as binary data');

/** Whether an artifact name is `name` itself or one of its shards (`name-shard-2-of-4`). */
export function isResultsArtifact(artifact: string, name: string): boolean {
  return artifact === name || new RegExp(`^${name.replace(/[.]/g, '\\.')}-shard-\\d+-of-\\d+$`).test(artifact);
}

/** The results artifacts (all shards) of workflow run `runId`, unexpired, in name order. */
export async function listResultsArtifacts(client: GitHubClient, repo: Repo, runId: number, name: string, limits = DEFAULT_ARTIFACT_LIMITS): Promise<ArtifactRef[]> {
  const artifacts = [];
  const pages = replyPages((page) => client.rest.actions.listWorkflowRunArtifacts({ ...repo, run_id: runId, per_page: 100, page }), artifactsPage, 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/artifacts');
  for await (const page of pages) artifacts.push(...page.artifacts);
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
  const zip = parseReply(zipReply, data, 'GET /repos/{owner}/{repo}/actions/artifacts/{artifact_id}/{archive_format}');
  const archive = zip instanceof ArrayBuffer ? Buffer.from(zip) : Buffer.from(zip.buffer, zip.byteOffset, zip.byteLength);
  if (archive.length > limits.maxArchiveBytes) throw tooBig();
  return readZip(archive, limits, `artifact "${artifact.name}"`);
}
