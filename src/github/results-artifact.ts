/**
 * The layout of a results artifact and how shards fan in. An artifact holds `base.results.jsonl` and/or
 * `head.results.jsonl`; shard `i/n` of a matrix uploads `<name>-shard-i-of-n`. Fanning in re-parses
 * each file as untrusted input (parseResults validates every line) and concatenates the shards' runs
 * and spans per side, prefixing run ids with the shard so ids from different jobs cannot collide.
 */
import { InputError } from '../errors.js';
import type { Side } from '../results/format.js';
import { parseResults, type ResultsFile } from '../results/read.js';
import type { ZipEntry } from './zip.js';

export const RESULTS_FILE_NAMES: Record<Side, string> = { base: 'base.results.jsonl', head: 'head.results.jsonl' };

/** Artifact name for a shard (`name-shard-2-of-4`), or `name` when the job is not sharded. */
export function artifactNameFor(name: string, shard?: { index: number; count: number }): string {
  return shard && shard.count > 1 ? `${name}-shard-${shard.index}-of-${shard.count}` : name;
}

export interface DownloadedArtifact {
  name: string;
  entries: ZipEntry[];
}

/** One ResultsFile per side over every artifact; a side no artifact carries is null. */
export function fanInResults(artifacts: DownloadedArtifact[]): Record<Side, ResultsFile | null> {
  const sides = { base: [] as ResultsFile[], head: [] as ResultsFile[] };
  for (const artifact of artifacts) {
    for (const side of ['base', 'head'] as const) {
      const entry = artifact.entries.find((e) => e.name === RESULTS_FILE_NAMES[side]);
      if (!entry) continue;
      const file = parseResults(entry.data, `${artifact.name}/${RESULTS_FILE_NAMES[side]}`);
      if (file.header && file.header.side !== side) throw new InputError(`${file.file}: the header says side "${file.header.side}" in the ${side} file`);
      sides[side].push(prefixRunIds(file, artifacts.length > 1 ? `${artifact.name}:` : ''));
    }
  }
  return { base: mergeResults(sides.base), head: mergeResults(sides.head) };
}

/** Concatenates results files of one side (shards); the first header is kept. */
export function mergeResults(files: ResultsFile[]): ResultsFile | null {
  if (files.length === 0) return null;
  const [first] = files as [ResultsFile];
  return {
    file: files.map((f) => f.file).join(' + '),
    header: files.find((f) => f.header)?.header,
    runs: files.flatMap((f) => f.runs),
    spans: files.flatMap((f) => f.spans),
    footer: files.every((f) => f.footer?.complete) ? first.footer : undefined,
    warnings: files.flatMap((f) => f.warnings),
  };
}

function prefixRunIds(file: ResultsFile, prefix: string): ResultsFile {
  if (prefix === '') return file;
  return {
    ...file,
    runs: file.runs.map((r) => ({ ...r, id: prefix + r.id })),
    spans: file.spans.map((s) => ({ ...s, run: prefix + s.run })),
  };
}

/**
 * Keys of the environment fingerprint (results header `env`) that differ between base and head, for
 * `baseline: artifact`, where the base was measured on another machine at another time.
 */
export function fingerprintMismatch(base: Record<string, unknown> | undefined, head: Record<string, unknown> | undefined, ignore: readonly string[] = ['hostname', 'startedAt', 'pid']): string[] {
  const keys = new Set([...Object.keys(base ?? {}), ...Object.keys(head ?? {})]);
  return [...keys].filter((k) => !ignore.includes(k) && JSON.stringify(base?.[k]) !== JSON.stringify(head?.[k])).sort();
}
