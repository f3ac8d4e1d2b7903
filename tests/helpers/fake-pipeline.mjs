#!/usr/bin/env node
// A stand-in for a user's pipeline, driven by flags, for runner and CLI tests.
//   --sleep MS          work for MS milliseconds (default 5)
//   --fail-variant ID   exit 3 with a message on stderr when FRAMETAIL_VARIANT is ID
//   --grandchild FILE   fork a long-sleeping grandchild, write "<own pid> <grandchild pid>" to FILE, then hang
//   --trace-file        write an OTLP JSON trace (root span + one child) into FRAMETAIL_TRACE_DIR
//   --otlp              POST the same trace to OTEL_EXPORTER_OTLP_TRACES_ENDPOINT
//   --env-dump FILE     write the FRAMETAIL_*, OTEL_* and TRACEPARENT variables to FILE as JSON
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const flag = (name) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? undefined : (args[i + 1] ?? '');
};
const has = (name) => args.includes(`--${name}`);
const env = process.env;

if (flag('env-dump')) {
  const picked = Object.fromEntries(Object.entries(env).filter(([k]) => /^(FRAMETAIL_|OTEL_|TRACEPARENT$)/.test(k)));
  writeFileSync(flag('env-dump'), JSON.stringify({ env: picked, argv: args }));
}
if (flag('grandchild')) {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)'], { stdio: 'ignore' });
  writeFileSync(flag('grandchild'), `${process.pid} ${child.pid}`);
  setInterval(() => {}, 1000);
} else {
  const start = Date.now() * 1e6;
  const sleep = Number(flag('sleep') ?? 5);
  await new Promise((resolve) => setTimeout(resolve, sleep));
  if (flag('fail-variant') && env.FRAMETAIL_VARIANT === flag('fail-variant')) {
    process.stderr.write('x'.repeat(5000) + `\nrender failed for ${env.FRAMETAIL_VARIANT}\n`);
    process.exit(3);
  }
  const end = Date.now() * 1e6;
  const [, traceId, parentId] = (env.TRACEPARENT ?? '').split('-');
  const span = (spanId, parentSpanId, name, s, e) => ({ traceId, spanId, parentSpanId, name, startTimeUnixNano: String(s), endTimeUnixNano: String(e), status: { code: 1 } });
  const request = {
    resourceSpans: [{
      resource: { attributes: (env.OTEL_RESOURCE_ATTRIBUTES ?? '').split(',').filter(Boolean).map((kv) => {
        const [key, value] = kv.split('=');
        return { key, value: { stringValue: decodeURIComponent(value ?? '') } };
      }) },
      scopeSpans: [{ spans: [span('a1a1a1a1a1a1a1a1', parentId, 'generate', start, end), span('b2b2b2b2b2b2b2b2', 'a1a1a1a1a1a1a1a1', 'render', start + 1e6, end - 1e6)] }],
    }],
  };
  if (has('trace-file')) writeFileSync(join(env.FRAMETAIL_TRACE_DIR, 'trace.json'), JSON.stringify(request));
  if (has('otlp')) {
    const auth = /Authorization=(.*)/.exec(env.OTEL_EXPORTER_OTLP_HEADERS ?? '')?.[1];
    await fetch(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, { method: 'POST', headers: { 'content-type': 'application/json', authorization: decodeURIComponent(auth ?? '') }, body: JSON.stringify(request) });
  }
}
