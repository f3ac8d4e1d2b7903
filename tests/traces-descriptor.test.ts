import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';

const committed = fileURLToPath(new URL('../src/traces/otlp/otlp-trace.descriptor.json', import.meta.url));
const script = fileURLToPath(new URL('../scripts/gen-otlp-descriptor.mjs', import.meta.url));

describe('OTLP protobuf descriptor', () => {
  it('is what scripts/gen-otlp-descriptor.mjs generates from the official .proto files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'frametail-descriptor-'));
    try {
      execFileSync(process.execPath, [script, join(dir, 'd.json')]);
      expect(readFileSync(join(dir, 'd.json'), 'utf8')).toBe(readFileSync(committed, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('has the current OTLP field numbers and types the decoder relies on', () => {
    const root = protobuf.Root.fromJSON(JSON.parse(readFileSync(committed, 'utf8')) as protobuf.INamespace);
    const span = root.lookupType('opentelemetry.proto.trace.v1.Span');
    const fields = Object.fromEntries(Object.values(span.fields).map((f) => [f.name, [f.id, f.type]]));
    expect(fields).toMatchObject({
      traceId: [1, 'bytes'], spanId: [2, 'bytes'], parentSpanId: [4, 'bytes'], name: [5, 'string'],
      startTimeUnixNano: [7, 'fixed64'], endTimeUnixNano: [8, 'fixed64'], status: [15, 'Status'], flags: [16, 'fixed32'],
    });
    const request = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
    expect(request.fields.resourceSpans!.id).toBe(1);
    expect(root.lookupType('opentelemetry.proto.trace.v1.Status').fields.code!.id).toBe(3);
  });
});
