import { ROOT_CONTEXT, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import {
  defaultResource,
  detectResources,
  resourceAttributesEnvDetector,
  resourceFromAttributes,
  serviceNameEnvDetector,
} from '@opentelemetry/resources';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

/**
 * @typedef {object} Tracing
 * @property {import('@opentelemetry/api').Context} parentContext the context the root span starts in: the
 *   caller's trace when `TRACEPARENT` is set (so the run's trace id is the one Frametail gave), else empty
 * @property {() => Promise<Error | undefined>} shutdown exports every finished span, then releases the exporter;
 *   await it before the process exits or the spans are lost. Resolves to the export's error, if any: losing the
 *   spans does not make the run itself fail.
 */

/**
 * Sets up the OpenTelemetry SDK for one pipeline run and registers it globally (tracer provider, async context
 * so spans nest across awaits, W3C trace-context propagation).
 *
 * Spans go over OTLP/HTTP JSON to `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`, or to `OTEL_EXPORTER_OTLP_ENDPOINT` +
 * `/v1/traces`; the exporter reads those and `OTEL_EXPORTER_OTLP_HEADERS` (Frametail's bearer token) from the
 * environment itself. Without an endpoint nothing is exported and the pipeline runs the same. The resource takes
 * `OTEL_SERVICE_NAME` and `OTEL_RESOURCE_ATTRIBUTES`, where Frametail puts `frametail.run.id`.
 *
 * Spans are batched: a run ends well within the batch processor's 5 s delay, so they are sent once, at shutdown,
 * after the root span has ended, and exporting never falls inside the measured latency.
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Tracing}
 */
export function startTracing(env = process.env) {
  const exporting = Boolean(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_EXPORTER_OTLP_ENDPOINT);
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'video-pipeline' }))
    .merge(detectResources({ detectors: [resourceAttributesEnvDetector, serviceNameEnvDetector] }));
  const provider = new TracerProvider({
    resource,
    spanProcessors: exporting ? [new BatchSpanProcessor({ exporter: new OTLPTraceExporter() })] : [],
  });

  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(provider);

  const carrier = { traceparent: env.TRACEPARENT, tracestate: env.TRACESTATE };
  return {
    parentContext: env.TRACEPARENT ? propagation.extract(ROOT_CONTEXT, carrier) : ROOT_CONTEXT,
    shutdown: () => provider.shutdown().then(
      () => undefined,
      (error) => (error instanceof Error ? error : new Error(String(error))),
    ),
  };
}
