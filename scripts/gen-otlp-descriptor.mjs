// Regenerates src/traces/otlp/otlp-trace.descriptor.json, the protobufjs JSON descriptor the receiver decodes
// OTLP/HTTP protobuf bodies with (`protobuf.Root.fromJSON`), so the bundled action never reads .proto files.
//
// Source: the official opentelemetry-proto files shipped by the devDependency
// @opentelemetry/otlp-grpc-exporter-base@0.34.0 (build/protos/opentelemetry/proto/**, opentelemetry-proto v0.19).
// Fields OTLP added since then are appended below so the descriptor matches current OTLP (1.x); all of them
// are additive, and protobufjs skips fields a descriptor does not list, so older and newer senders both decode.
// google.rpc.Status is added because OTLP/HTTP answers errors with it in the request's encoding.
//
// Usage: node scripts/gen-otlp-descriptor.mjs [OUT]   (OUT defaults to the committed descriptor)
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import protobuf from 'protobufjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const pkg = dirname(require.resolve('@opentelemetry/otlp-grpc-exporter-base/package.json'));
const protoRoot = join(pkg, 'build', 'protos');
const out = process.argv[2] ?? join(here, '..', 'src', 'traces', 'otlp', 'otlp-trace.descriptor.json');

const root = new protobuf.Root();
root.resolvePath = (_origin, target) => join(protoRoot, target);
root.loadSync('opentelemetry/proto/collector/trace/v1/trace_service.proto', { keepCase: false });

/** Adds a field unless the loaded .proto already has it (a newer package may ship it). */
function addField(typeName, name, id, type, rule) {
  const type_ = root.lookupType(typeName);
  if (type_.fieldsById[id]) return;
  type_.add(new protobuf.Field(name, id, type, rule));
}

// OTLP 1.1+: W3C trace flags and whether the parent is remote.
addField('opentelemetry.proto.trace.v1.Span', 'flags', 16, 'fixed32');
addField('opentelemetry.proto.trace.v1.Span.Link', 'flags', 6, 'fixed32');
// OTLP 0.20+: attributes on the instrumentation scope.
addField('opentelemetry.proto.common.v1.InstrumentationScope', 'attributes', 3, 'opentelemetry.proto.common.v1.KeyValue', 'repeated');
addField('opentelemetry.proto.common.v1.InstrumentationScope', 'droppedAttributesCount', 4, 'uint32');
// OTLP 0.19+ collector response: partial success.
const collector = root.lookup('opentelemetry.proto.collector.trace.v1');
if (!collector.get('ExportTracePartialSuccess')) {
  collector.add(
    new protobuf.Type('ExportTracePartialSuccess')
      .add(new protobuf.Field('rejectedSpans', 1, 'int64'))
      .add(new protobuf.Field('errorMessage', 2, 'string')),
  );
}
addField('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse', 'partialSuccess', 1, 'ExportTracePartialSuccess');
// google.rpc.Status (without `details`, which we never send).
root.define('google.rpc').add(
  new protobuf.Type('Status').add(new protobuf.Field('code', 1, 'int32')).add(new protobuf.Field('message', 2, 'string')),
);

root.resolveAll();
writeFileSync(out, JSON.stringify(root.toJSON(), null, 1) + '\n');
console.log(`wrote ${out}`);
