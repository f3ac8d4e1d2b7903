#!/usr/bin/env node
// The example text-to-video pipeline that Frametail benchmarks (see README.md beside this file):
//   node examples/video-pipeline/pipeline.mjs --prompt "…" --shot closeup --aspect-ratio 16:9 --model veo-3.1-fast
// Prints the written video's path. Exit status: 0 done, 1 the run failed (its spans say where), 2 bad usage.
import { context } from '@opentelemetry/api';
import { parseCliArgs } from './cli-args.mjs';
import { generate } from './generate.mjs';
import { startTracing } from './tracing.mjs';

let request;
try {
  request = parseCliArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`video-pipeline: ${/** @type {Error} */ (error).message}\n`);
  process.exit(2);
}

const tracing = startTracing(process.env);
try {
  const { videoPath } = await context.with(tracing.parentContext, () => generate(request, process.env));
  process.stdout.write(`${videoPath}\n`);
} catch (error) {
  process.stderr.write(`video-pipeline: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
} finally {
  const exportError = await tracing.shutdown();
  if (exportError) process.stderr.write(`video-pipeline: spans were not exported: ${exportError.message}\n`);
}
