import protobuf from 'protobufjs';
import type { TraceWarning } from '../span.js';
import { fastDecodeOtlpProto } from './proto-fast.js';
import { spansFromExportRequest, type RequestLimits, type ResourceSpanGroup } from './request.js';
import { otlpRoot as root } from './types.js';

const ExportTraceServiceRequest = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const ExportTraceServiceResponse = root.lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse');
const RpcStatus = root.lookupType('google.rpc.Status');

// fixed64 times decode exactly only through Long; without it protobufjs would hand back rounded numbers.
if (!protobuf.util.Long) throw new Error('protobufjs was loaded without long.js: fixed64 times would lose precision');

/**
 * An OTLP protobuf ExportTraceServiceRequest → spans grouped by resource. Ids arrive as bytes and leave as
 * hex; fixed64 times arrive as Longs and leave as exact bigints. Throws with protobufjs's reason on a
 * malformed body. The fast path (proto-fast.ts) reads well-formed requests straight into spans; whatever
 * it leaves (malformed bodies, spans to warn about, the span limit) goes through decodeOtlpProtoReference.
 */
export function decodeOtlpProto(bytes: Uint8Array, warnings: TraceWarning[], where: string, limits?: RequestLimits): ResourceSpanGroup[] {
  return fastDecodeOtlpProto(bytes, limits?.maxSpans) ?? decodeOtlpProtoReference(bytes, warnings, where, limits);
}

/** The reference decode: protobufjs's generated `decode` into messages, then request.ts. */
export function decodeOtlpProtoReference(bytes: Uint8Array, warnings: TraceWarning[], where: string, limits?: RequestLimits): ResourceSpanGroup[] {
  let request: protobuf.Message;
  try {
    request = ExportTraceServiceRequest.decode(bytes);
  } catch (error) {
    // Nested messages deeper than protobufjs's recursionLimit (100, as protoc) end here too, not in a stack overflow.
    throw new Error(`${where}: invalid OTLP protobuf: ${(error as Error).message}`);
  }
  return spansFromExportRequest(request, warnings, where, limits);
}

/** The protobuf success answer: an ExportTraceServiceResponse, with partial_success when spans were rejected. */
export function encodeExportResponse(partialSuccess?: { rejectedSpans: number; errorMessage: string }): Uint8Array {
  return ExportTraceServiceResponse.encode(ExportTraceServiceResponse.create(partialSuccess ? { partialSuccess } : {})).finish();
}

/** A google.rpc.Status, the body OTLP/HTTP prescribes for errors to protobuf requests. */
export function encodeRpcStatus(code: number, message: string): Uint8Array {
  return RpcStatus.encode(RpcStatus.create({ code, message })).finish();
}
