/**
 * The bundled example pipeline (examples/video-pipeline), driven the way Frametail drives it: as a child
 * process with the OTEL_* and FRAMETAIL_* environment, exporting to a local OTLP/HTTP JSON collector started
 * here. Pins what the demo and the benchmarks rely on: a real GIF at the configured aspect ratio, spans in the
 * trace Frametail gave with the run id on the resource, one span per stage at coarse granularity and more at
 * fine, code locations on every span, a regressed variant whose cache lookup is the slower part, and failures
 * that exit 1 with an error span.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const REPO = join(import.meta.dirname, '..');
const BASE = join(REPO, 'examples/video-pipeline');
const REGRESSED = join(REPO, 'examples/video-pipeline-regressed');
const TOKEN = 'test-token-5b1e';
const PROMPT = 'A ballet dancer performs a pirouette in a sunlit studio.';
const STAGES = ['preprocess', 'cache.lookup', 'model.generate', 'encode', 'serialize'];

/** The example's plain-JavaScript helpers, typed here at the boundary (the example has no declarations). */
interface PreprocessModule {
  frameSize(aspectRatio: string): { width: number; height: number };
  normalizePrompt(prompt: string): string;
}
interface RunSettingsModule { parseFailRate(text: string | undefined): number }
interface SerializeModule { slug(normalizedPrompt: string): string }
const importExample = async <T>(file: string) => (await import(pathToFileURL(join(BASE, file)).href)) as T;

interface OtlpValue { stringValue?: string; intValue?: string | number; boolValue?: boolean; doubleValue?: number }
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  status?: { code?: number; message?: string };
  attributes?: Array<{ key: string; value: OtlpValue }>;
  events?: Array<{ name: string }>;
}
interface OtlpBody {
  resourceSpans: Array<{
    resource?: { attributes?: Array<{ key: string; value: OtlpValue }> };
    scopeSpans: Array<{ spans: OtlpSpan[] }>;
  }>;
}
/** One span as received, with its resource attributes and the request's authorization header. */
interface ReceivedSpan { span: OtlpSpan; resource: Record<string, unknown>; authorization: string | undefined }
interface RunResult { code: number; stdout: string; stderr: string; traceId: string; parentSpanId: string }

let collector: Server;
let endpoint: string;
const received: ReceivedSpan[] = [];
let scratch: string;
/** A checkout laid out as the demo's head commit: the base pipeline with the regressed files copied over it. */
let headRepo: string;

beforeAll(async () => {
  collector = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody;
      for (const resourceSpans of body.resourceSpans) {
        const resource = attributeRecord(resourceSpans.resource?.attributes);
        for (const scope of resourceSpans.scopeSpans) {
          for (const span of scope.spans) received.push({ span, resource, authorization: request.headers.authorization });
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(collector.address() as AddressInfo).port}/v1/traces`;

  scratch = await mkdtemp(join(tmpdir(), 'example-pipeline-test-'));
  headRepo = join(scratch, 'head');
  await cp(BASE, join(headRepo, 'examples/video-pipeline'), { recursive: true });
  await cp(REGRESSED, join(headRepo, 'examples/video-pipeline'), { recursive: true });
  // Bare imports resolve by walking up to a node_modules folder, as they do in the demo's repo inside the project.
  await symlink(join(REPO, 'node_modules'), join(headRepo, 'node_modules'), 'dir');
});

afterAll(async () => {
  await new Promise((resolve) => collector.close(resolve));
  await rm(scratch, { recursive: true, force: true });
});

/** Attribute list (OTLP JSON) as a plain record; int values may arrive as strings. */
function attributeRecord(attributes: OtlpSpan['attributes']): Record<string, unknown> {
  const record: Record<string, unknown> = {};
  for (const { key, value } of attributes ?? []) {
    record[key] = value.stringValue ?? (value.intValue === undefined ? undefined : Number(value.intValue)) ?? value.boolValue ?? value.doubleValue;
  }
  return record;
}

/**
 * Runs the pipeline in `cwd` (a repository root) like Frametail does: a fresh W3C traceparent, the collector's
 * endpoint and bearer token, the run id on the resource, plus `env`.
 */
function runPipeline(cwd: string, args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  const fullEnv = {
    PATH: process.env.PATH ?? '',
    OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: endpoint,
    OTEL_EXPORTER_OTLP_HEADERS: `authorization=Bearer ${TOKEN}`,
    OTEL_RESOURCE_ATTRIBUTES: 'frametail.run.id=r1',
    TRACEPARENT: `00-${traceId}-${parentSpanId}-01`,
    PIPELINE_CACHE_DIR: join(scratch, 'cache'),
    FRAMETAIL_OUTPUT_DIR: join(scratch, 'out', traceId),
    ...env,
  };
  return new Promise((resolve) => {
    execFile(process.execPath, ['examples/video-pipeline/pipeline.mjs', ...args], { cwd, env: fullEnv }, (error, stdout, stderr) => {
      const code = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ code, stdout, stderr, traceId, parentSpanId });
    });
  });
}

const cellArgs = (shot: string, aspectRatio = '16:9') => ['--prompt', PROMPT, '--shot', shot, '--aspect-ratio', aspectRatio, '--model', 'veo-3.1-fast'];
const spansOf = (traceId: string) => received.filter((entry) => entry.span.traceId === traceId);
const durationMs = (span: OtlpSpan) => Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano)) / 1e6;
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] ?? NaN) : ((sorted[middle - 1] ?? NaN) + (sorted[middle] ?? NaN)) / 2;
};

/** Width and height from a GIF's logical screen descriptor (little-endian, right after the 6-byte signature). */
function gifSize(bytes: Buffer): { signature: string; width: number; height: number } {
  return { signature: bytes.subarray(0, 6).toString('latin1'), width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
}

/** Every span's code location names a line inside an existing source file of the example. */
async function expectCodeLocations(spans: ReceivedSpan[], repo: string): Promise<void> {
  for (const { span } of spans) {
    const attributes = attributeRecord(span.attributes);
    const file = attributes['code.file.path'];
    const line = attributes['code.line.number'];
    expect(file, span.name).toMatch(/^examples\/video-pipeline\/[\w/-]+\.mjs$/);
    expect(attributes['code.function.name'], span.name).toMatch(/^\w+$/);
    const source = (await readFile(join(repo, String(file)), 'utf8')).split('\n');
    expect(source[Number(line) - 1], `${span.name} at ${String(file)}:${String(line)}`).toContain(`'${span.name}'`);
  }
}

describe('example pipeline at coarse granularity', () => {
  let run: RunResult;
  beforeAll(async () => {
    run = await runPipeline(REPO, cellArgs('closeup'), { FRAMETAIL_GRANULARITY: 'coarse' });
  });

  it('exits 0 and writes a 16:9 animated GIF with its metadata', async () => {
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const videoPath = run.stdout.trim();
    expect(videoPath.startsWith(join(scratch, 'out', run.traceId))).toBe(true);
    const gif = await readFile(videoPath);
    const { signature, width, height } = gifSize(gif);
    expect(signature).toBe('GIF89a');
    expect(width * 9).toBe(height * 16);
    const metadata = JSON.parse(await readFile(videoPath.replace(/\.gif$/, '.json'), 'utf8')) as Record<string, unknown>;
    expect(metadata).toMatchObject({ prompt: PROMPT, shot: 'closeup', model: 'veo-3.1-fast', aspectRatio: '16:9', width, height, frameCount: 24, bytes: gif.length });
  });

  it('sends the root and one span per stage, in the given trace, with the token and run id', () => {
    const spans = spansOf(run.traceId);
    const root = spans.find((entry) => entry.span.name === 'generate');
    expect(root?.span.parentSpanId).toBe(run.parentSpanId);
    const children = spans.filter((entry) => entry.span.parentSpanId === root?.span.spanId);
    const inStartOrder = children.sort((a, b) => (BigInt(a.span.startTimeUnixNano) < BigInt(b.span.startTimeUnixNano) ? -1 : 1));
    expect(inStartOrder.map((entry) => entry.span.name)).toEqual(STAGES);
    // Plus the model call inside model.generate, marked as model time by its GenAI attributes.
    const generate = children.find((entry) => entry.span.name === 'model.generate');
    const request = spans.find((entry) => entry.span.name === 'model.request');
    expect(request?.span.parentSpanId).toBe(generate?.span.spanId);
    expect(attributeRecord(request?.span.attributes)).toMatchObject({ 'gen_ai.operation.name': 'generate_content', 'gen_ai.provider.name': 'stand-in', 'video.cost_usd': expect.any(Number) });
    expect(spans).toHaveLength(2 + STAGES.length);
    for (const entry of spans) {
      expect(entry.authorization).toBe(`Bearer ${TOKEN}`);
      expect(entry.resource['frametail.run.id']).toBe('r1');
    }
  });

  it('tags every span with the source line that starts it', async () => {
    await expectCodeLocations(spansOf(run.traceId), REPO);
  });
});

describe('example pipeline at fine granularity', () => {
  let coarse: RunResult;
  let fine: RunResult;
  beforeAll(async () => {
    coarse = await runPipeline(REPO, cellArgs('wide'), { FRAMETAIL_GRANULARITY: 'coarse' });
    fine = await runPipeline(REPO, cellArgs('wide'), { FRAMETAIL_GRANULARITY: 'fine' });
  });

  it('adds spans inside the stages, each under its stage, with code locations', async () => {
    expect(fine.code).toBe(0);
    const spans = spansOf(fine.traceId);
    const byId = new Map(spans.map((entry) => [entry.span.spanId, entry.span]));
    const stageOf = (span: OtlpSpan): string | undefined => {
      const parent = byId.get(span.parentSpanId ?? '');
      return parent === undefined ? undefined : parent.name === 'generate' ? span.name : stageOf(parent);
    };
    const inner = spans.filter((entry) => !['generate', ...STAGES].includes(entry.span.name));
    expect(inner.length).toBeGreaterThan(5);
    const names = inner.map((entry) => entry.span.name);
    expect(names).toEqual(expect.arrayContaining(['preprocess.tokenize', 'cache.hash', 'cache.read', 'model.request', 'frame.draw', 'encode.quantize', 'encode.write', 'serialize.metadata']));
    for (const entry of inner) expect(STAGES, entry.span.name).toContain(stageOf(entry.span));
    await expectCodeLocations(spans, REPO);
  });

  it('draws the same video for the same prompt and shot whatever the granularity', async () => {
    const hashOf = async (run: RunResult) => (JSON.parse(await readFile(run.stdout.trim().replace(/\.gif$/, '.json'), 'utf8')) as { sha256: string }).sha256;
    expect(await hashOf(fine)).toBe(await hashOf(coarse));
  });
});

describe('example pipeline inputs', () => {
  it('follows the aspect ratio: 9:16 gives a portrait GIF', async () => {
    const run = await runPipeline(REPO, cellArgs('low-angle', '9:16'));
    expect(run.code).toBe(0);
    const { width, height } = gifSize(await readFile(run.stdout.trim()));
    expect(width * 16).toBe(height * 9);
  });

  it('fills the cache on the first run; a prompt differing only in case and spacing then hits it', async () => {
    const env = { PIPELINE_CACHE_DIR: join(scratch, 'fresh-cache'), FRAMETAIL_GRANULARITY: 'fine' };
    const first = await runPipeline(REPO, cellArgs('wide'), env);
    const second = await runPipeline(REPO, ['--prompt', `  ${PROMPT.toUpperCase().replaceAll(' ', '   ')}`, '--shot', 'wide'], env);
    const metadataOf = async (run: RunResult) => JSON.parse(await readFile(run.stdout.trim().replace(/\.gif$/, '.json'), 'utf8')) as { cacheHit: boolean; sha256: string };
    expect((await metadataOf(first)).cacheHit).toBe(false);
    expect((await metadataOf(second)).cacheHit).toBe(true);
    expect((await metadataOf(second)).sha256).toBe((await metadataOf(first)).sha256);
    expect(spansOf(first.traceId).map((entry) => entry.span.name)).toContain('cache.fill');
    expect(spansOf(second.traceId).map((entry) => entry.span.name)).not.toContain('cache.fill');
  });

  it('runs without an OTLP endpoint, silently', async () => {
    const run = await runPipeline(REPO, cellArgs('wide'), { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: '', TRACEPARENT: '' });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(existsSync(run.stdout.trim())).toBe(true);
  });

  it('still exits 0 when the receiver is down, with one warning that the spans were lost', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const run = await runPipeline(REPO, cellArgs('wide'), {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `http://127.0.0.1:${port}/v1/traces`,
      OTEL_EXPORTER_OTLP_TIMEOUT: '500',
    });
    expect(run.code).toBe(0);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^video-pipeline: spans were not exported: .*ECONNREFUSED/)]);
  });

  it('exits 2 with the usage on a malformed command line, before any span', async () => {
    const run = await runPipeline(REPO, ['--shot', 'wide']);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('--prompt is required');
    expect(run.stderr).toContain('usage: node examples/video-pipeline/pipeline.mjs');
  });
});

describe('example pipeline failures', () => {
  /** The spans of a failed run that carry an error status. */
  const errorSpans = (run: RunResult) => spansOf(run.traceId).filter((entry) => entry.span.status?.code === 2).map((entry) => entry.span);

  it('an unknown shot exits 1, after exporting the failed preprocess and root spans', async () => {
    const run = await runPipeline(REPO, cellArgs('dutch-angle'));
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('--shot "dutch-angle" is not known: expected one of closeup, wide, low-angle');
    expect(errorSpans(run).map((span) => span.name).sort()).toEqual(['generate', 'preprocess']);
  });

  it('an injected model failure exits 1 with error spans, an exception event and no video', async () => {
    const run = await runPipeline(REPO, cellArgs('closeup'), { PIPELINE_FAIL_RATE: '1', FRAMETAIL_GRANULARITY: 'fine', FRAMETAIL_ROUND: '3' });
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('503 Service Unavailable');
    const failed = errorSpans(run);
    expect(failed.map((span) => span.name).sort()).toEqual(['generate', 'model.generate', 'model.request']);
    expect(failed.flatMap((span) => span.events ?? []).filter((event) => event.name === 'exception')).toHaveLength(1);
    expect(spansOf(run.traceId).map((entry) => entry.span.name)).not.toContain('encode');
    expect(existsSync(join(scratch, 'out', run.traceId))).toBe(false);
  });

  it('a fail rate that is not a probability is reported by name', async () => {
    const run = await runPipeline(REPO, cellArgs('closeup'), { PIPELINE_FAIL_RATE: 'often' });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('PIPELINE_FAIL_RATE="often" is not valid');
  });
});

describe('regressed variant (the demo head)', () => {
  it('holds only files that replace files of the base pipeline', async () => {
    const files = await readdir(REGRESSED, { recursive: true, withFileTypes: true });
    const relative = files.filter((entry) => entry.isFile()).map((entry) => join(entry.parentPath, entry.name).slice(REGRESSED.length + 1));
    expect(relative.length).toBeGreaterThan(0);
    for (const file of relative) expect(existsSync(join(BASE, file)), file).toBe(true);
  });

  it('spends clearly longer in cache.lookup, in its cache.hash span, while producing the same video', async () => {
    const cacheSpans = { base: [] as number[], head: [] as number[] };
    const hashSpans = { base: [] as number[], head: [] as number[] };
    const videos = { base: '', head: '' };
    const env = { FRAMETAIL_GRANULARITY: 'fine', FRAMETAIL_INPUT: 'pirouette', FRAMETAIL_VARIANT: 'closeup' };
    for (let round = 0; round <= 5; round++) {
      for (const side of round % 2 === 0 ? (['base', 'head'] as const) : (['head', 'base'] as const)) {
        const run = await runPipeline(side === 'base' ? REPO : headRepo, cellArgs('closeup'), { ...env, FRAMETAIL_ROUND: String(round) });
        expect(run.code).toBe(0);
        const spans = spansOf(run.traceId).map((entry) => entry.span);
        videos[side] = JSON.parse(await readFile(run.stdout.trim().replace(/\.gif$/, '.json'), 'utf8')).sha256;
        if (round === 0) continue; // warm-up: fills each side's cache
        cacheSpans[side].push(durationMs(spans.find((span) => span.name === 'cache.lookup') as OtlpSpan));
        hashSpans[side].push(durationMs(spans.find((span) => span.name === 'cache.hash') as OtlpSpan));
      }
    }
    expect(median(cacheSpans.head)).toBeGreaterThan(median(cacheSpans.base) + 15);
    expect(median(hashSpans.head)).toBeGreaterThan(median(hashSpans.base) + 15);
    expect(videos.head).toBe(videos.base);
  });
});

describe('example pipeline helpers', () => {
  it('sizes frames to the aspect ratio with about 160×90 pixels', async () => {
    const { frameSize } = await importExample<PreprocessModule>('stages/preprocess.mjs');
    expect(frameSize('16:9')).toEqual({ width: 160, height: 90 });
    expect(frameSize('9:16')).toEqual({ width: 90, height: 160 });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 16 }), fc.integer({ min: 1, max: 16 }), (across, down) => {
        const { width, height } = frameSize(`${across}:${down}`);
        // Rounding the height moves the ratio by at most half a pixel of height.
        expect(Math.abs(width * down - height * across)).toBeLessThanOrEqual(across / 2 + 1e-9);
        expect(width * height).toBeGreaterThan(160 * 90 * 0.9);
        expect(width * height).toBeLessThan(160 * 90 * 1.1);
      }),
    );
    for (const bad of ['16x9', '0:9', '16:', '', '100:1', '16:9:1']) {
      expect(() => frameSize(bad), bad).toThrow(`--aspect-ratio "${bad}" is not valid`);
    }
  });

  it('normalizes prompts idempotently, without stray white space', async () => {
    const { normalizePrompt } = await importExample<PreprocessModule>('stages/preprocess.mjs');
    expect(normalizePrompt('  A  Ballet\u00a0dancer \u2014 \u201cspins\u201d ')).toBe('a ballet dancer - "spins"');
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', minLength: 1 }).filter((text) => text.normalize('NFKC').trim() !== ''), (prompt) => {
        const normalized = normalizePrompt(prompt);
        expect(normalizePrompt(normalized)).toBe(normalized);
        expect(normalized).toBe(normalized.trim());
        expect(normalized).not.toMatch(/\s\s/);
      }),
    );
    expect(() => normalizePrompt(' \t ')).toThrow('--prompt is empty');
  });

  it('makes file-name-safe slugs of any prompt', async () => {
    const { slug } = await importExample<SerializeModule>('stages/serialize.mjs');
    expect(slug('a ballet dancer performs a pirouette.')).toBe('a-ballet-dancer-performs-a-pirouette');
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(slug(text.toLowerCase())).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(slug(text.toLowerCase()).length).toBeLessThanOrEqual(48);
      }),
    );
  });

  it('accepts fail rates from 0 to 1 and names the variable otherwise', async () => {
    const { parseFailRate } = await importExample<RunSettingsModule>('run-settings.mjs');
    expect(parseFailRate(undefined)).toBe(0);
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), (rate) => {
        expect(parseFailRate(String(rate))).toBe(rate);
      }),
    );
    fc.assert(
      fc.property(fc.oneof(fc.double({ min: 1, minExcluded: true }), fc.double({ max: -Number.MIN_VALUE }), fc.constant(Number.NaN)), (rate) => {
        expect(() => parseFailRate(String(rate))).toThrow(`PIPELINE_FAIL_RATE="${String(rate)}" is not valid`);
      }),
    );
  });
});
