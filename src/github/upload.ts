/**
 * Uploads results as a workflow artifact (mode `run`, and pushes for `baseline: artifact`). The upload
 * talks to the Actions results service (ACTIONS_RESULTS_URL), not the REST API, so it sits behind
 * this interface: the action uses @actions/artifact, tests pass a fake that records what was uploaded.
 */
import type { DefaultArtifactClient } from '@actions/artifact';

export interface ResultsUploader {
  /** Uploads `files` (absolute paths under `rootDir`) as artifact `name`; returns its id when known. */
  upload(name: string, files: string[], rootDir: string): Promise<{ id: number | null }>;
}

/**
 * The real uploader: @actions/artifact v2+ (artifacts are immutable; each shard uses its own name).
 * The client and its Azure storage code are loaded on the first upload (a dynamic import, which ncc
 * bundles as a separate chunk): a quarter of a second of start-up that the check run and jobs
 * that never upload should not wait for.
 */
export function actionsArtifactUploader(retentionDays?: number): ResultsUploader {
  let client: Promise<DefaultArtifactClient> | undefined;
  return {
    async upload(name, files, rootDir) {
      client ??= import('@actions/artifact').then((artifact) => new artifact.DefaultArtifactClient());
      const result = await (await client).uploadArtifact(name, files, rootDir, retentionDays ? { retentionDays } : {});
      return { id: result.id ?? null };
    },
  };
}
