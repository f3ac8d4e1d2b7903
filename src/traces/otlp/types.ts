import protobuf from 'protobufjs';
import descriptor from './otlp-trace.descriptor.json' with { type: 'json' };

// Built from the official opentelemetry-proto files by scripts/gen-otlp-descriptor.mjs (see README.md here).
/** The OTLP trace protobuf types, loaded once from the descriptor (no .proto file is read at run time). */
export const otlpRoot = protobuf.Root.fromJSON(descriptor as protobuf.INamespace);
