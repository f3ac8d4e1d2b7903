import {
  ResponderBuilder,
  Server,
  ServerCredentials,
  ServerInterceptingCall,
  ServerListenerBuilder,
  status,
  type sendUnaryData,
  type ServerInterceptor,
  type ServerUnaryCall,
} from '@grpc/grpc-js';
import type { Duplex } from 'node:stream';
import { encodeExportResponse } from './otlp/proto.js';
import { RejectError, type Ingest, type RejectReason } from './receiver-ingest.js';

/** The one method OTLP/gRPC trace exporters call (opentelemetry/proto/collector/trace/v1/trace_service.proto). */
export const EXPORT_PATH = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

const CODE: Record<RejectReason, status> = {
  unauthenticated: status.UNAUTHENTICATED,
  'not-found': status.UNIMPLEMENTED,
  method: status.UNIMPLEMENTED,
  'too-large': status.RESOURCE_EXHAUSTED,
  unsupported: status.INVALID_ARGUMENT,
  invalid: status.INVALID_ARGUMENT,
  timeout: status.DEADLINE_EXCEEDED,
};

export interface GrpcOptions {
  ingest: Ingest;
  authorized: (header: string | undefined) => boolean;
  maxBodyBytes: number;
  bodyTimeoutMs: number;
  onRejected: () => void;
  /** Closes the connection from this client port: a refused call's stream would otherwise stay open as long as the client keeps it. */
  dropConnection: (remotePort: number | undefined) => void;
}

export interface GrpcEndpoint {
  /** Hands a connection that opened with the HTTP/2 preface to the gRPC server. */
  injectConnection(connection: Duplex): void;
  close(): Promise<void>;
}

/**
 * OTLP/gRPC on connections handed over by the receiver's listener, served by @grpc/grpc-js: framing,
 * HTTP/2 flow control and `grpc-encoding: gzip` are the library's. The same rules as OTLP/HTTP apply: the
 * bearer token (gRPC metadata `authorization`) is checked when the headers arrive, before any of the body
 * is read; a message larger than `maxBodyBytes`, compressed or inflated, gets RESOURCE_EXHAUSTED; a body not
 * received within `bodyTimeoutMs` gets DEADLINE_EXCEEDED; a malformed one INVALID_ARGUMENT.
 */
export function startGrpc(options: GrpcOptions): GrpcEndpoint {
  const server = new Server({
    interceptors: [guard(options)],
    'grpc.max_receive_message_length': options.maxBodyBytes,
    // Exporters keep one channel open for the whole run; an idle one is closed after a minute and reopened.
    'grpc.max_connection_idle_ms': 60_000,
  });
  const identity = (bytes: Buffer) => bytes;
  server.addService(
    {
      Export: {
        path: EXPORT_PATH,
        requestStream: false,
        responseStream: false,
        requestSerialize: identity,
        requestDeserialize: identity,
        responseSerialize: identity,
        responseDeserialize: identity,
        originalName: 'export',
      },
    },
    {
      Export(call: ServerUnaryCall<Buffer, Buffer>, callback: sendUnaryData<Buffer>) {
        try {
          const partial = options.ingest.body('protobuf', call.request);
          callback(null, Buffer.from(encodeExportResponse(partial)));
        } catch (error) {
          const reject = error instanceof RejectError ? error : undefined;
          callback({ code: reject ? CODE[reject.reason] : status.INTERNAL, details: (error as Error).message });
        }
      },
    },
  );
  const injector = server.createConnectionInjector(ServerCredentials.createInsecure());
  return {
    injectConnection: (connection) => injector.injectConnection(connection),
    close: async () => {
      injector.destroy();
      server.forceShutdown();
    },
  };
}

/**
 * Token check on the headers, a deadline on the body, and a count of every call that ends without success:
 * refused here, by the handler, by grpc-js itself (a message over the size limit: the call ends without
 * its status passing through here), or cancelled by the client.
 */
function guard(options: GrpcOptions): ServerInterceptor {
  return (_method, call) => {
    let timer: NodeJS.Timeout | undefined;
    let settled = false;
    const refuse = (code: status, details: string) => {
      clearTimeout(timer);
      settled = true;
      options.onRejected();
      call.sendStatus({ code, details });
      // The status is on its way; the body it refuses is not read, so the connection goes after a grace second.
      const { remotePort } = call.getConnectionInfo();
      setTimeout(() => options.dropConnection(remotePort), 1000).unref();
    };
    const listener = new ServerListenerBuilder()
      .withOnReceiveMetadata((metadata, next) => {
        const auth = metadata.get('authorization')[0];
        if (!options.authorized(typeof auth === 'string' ? auth : undefined)) {
          return refuse(status.UNAUTHENTICATED, 'missing or wrong bearer token (OTEL_EXPORTER_OTLP_HEADERS)');
        }
        timer = setTimeout(
          () => refuse(status.DEADLINE_EXCEEDED, `request body not received within ${options.bodyTimeoutMs / 1000} s`),
          options.bodyTimeoutMs,
        );
        next(metadata);
      })
      .withOnReceiveMessage((message, next) => {
        clearTimeout(timer);
        next(message);
      })
      .withOnCancel(() => {
        clearTimeout(timer);
        if (!settled) options.onRejected();
        settled = true;
      })
      .build();
    const responder = new ResponderBuilder()
      .withStart((next) => next(listener))
      .withSendStatus((sent, next) => {
        clearTimeout(timer);
        if (!settled && sent.code !== status.OK) options.onRejected();
        settled = true;
        next(sent);
      })
      .build();
    return new ServerInterceptingCall(call, responder);
  };
}
