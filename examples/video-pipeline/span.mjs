import { SpanStatusCode, trace } from '@opentelemetry/api';
import { callerLocation } from './code-location.mjs';

/**
 * The pipeline's tracer, taken from the global API: until tracing.mjs registers a provider this is a no-op
 * tracer, so stages can be imported and run without any telemetry set up.
 */
const tracer = trace.getTracer('video-pipeline', '1.0.0');

/** Errors already recorded as an exception event, so each error is recorded once, on the span it left first. */
const recordedErrors = new WeakSet();

/**
 * Runs `work` inside a span named `name` (a root span or one per stage), tagged with the code location of the
 * caller: `code.file.path`, `code.line.number`, `code.function.name`. A thrown or rejected error marks the span
 * as failed and is rethrown.
 * @template T
 * @param {string} name
 * @param {(span: import('@opentelemetry/api').Span) => T} work
 * @param {import('@opentelemetry/api').Attributes} [attributes]
 * @returns {T}
 */
export function inSpan(name, work, attributes = {}) {
  return runInSpan(name, work, attributes, callerLocation(inSpan));
}

/**
 * Like `inSpan`, but only when `FRAMETAIL_GRANULARITY=fine`: the finer spans inside a stage (hashing, one batch of
 * frames, quantizing…) cost a little and are only wanted when Frametail attributes a change to a span.
 * Otherwise `work` runs as is, with no span.
 * @template T
 * @param {string} name
 * @param {(span: import('@opentelemetry/api').Span | undefined) => T} work
 * @param {import('@opentelemetry/api').Attributes} [attributes]
 * @returns {T}
 */
export function inFineSpan(name, work, attributes = {}) {
  if (process.env.FRAMETAIL_GRANULARITY !== 'fine') return work(undefined);
  return runInSpan(name, work, attributes, callerLocation(inFineSpan));
}

/**
 * @template T
 * @param {string} name
 * @param {(span: import('@opentelemetry/api').Span) => T} work
 * @param {import('@opentelemetry/api').Attributes} attributes
 * @param {import('./code-location.mjs').CodeLocation | undefined} location
 * @returns {T}
 */
function runInSpan(name, work, attributes, location) {
  const codeAttributes = location === undefined ? {} : {
    'code.file.path': location.filePath,
    'code.line.number': location.lineNumber,
    'code.function.name': location.functionName,
  };
  return tracer.startActiveSpan(name, { attributes: { ...codeAttributes, ...attributes } }, (span) => {
    let result;
    try {
      result = work(span);
    } catch (error) {
      endFailed(span, error);
      throw error;
    }
    if (!isPromise(result)) {
      span.end();
      return result;
    }
    return /** @type {T} */ (result.then(
      (value) => {
        span.end();
        return value;
      },
      (error) => {
        endFailed(span, error);
        throw error;
      },
    ));
  });
}

/**
 * @param {import('@opentelemetry/api').Span} span
 * @param {unknown} error
 */
function endFailed(span, error) {
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof Error && !recordedErrors.has(error)) {
    recordedErrors.add(error);
    span.recordException(error);
  }
  span.setStatus({ code: SpanStatusCode.ERROR, message });
  span.end();
}

/**
 * @param {unknown} value
 * @returns {value is PromiseLike<unknown>}
 */
function isPromise(value) {
  return typeof value === 'object' && value !== null && typeof (/** @type {any} */ (value).then) === 'function';
}
