/**
 * Request validation against GitHub's official OpenAPI description, restricted to the operations the
 * action calls (fixtures/github/openapi-operations.json, written by scripts/extract-openapi.mjs).
 * A request is matched to a path template and method; its path and query parameters and its JSON body
 * are checked with ajv. No match, or an invalid request, is a violation the tests fail on.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: object;
}

interface Operation {
  operationId: string;
  method: string;
  path: string;
  parameters: Parameter[];
  requestBody: object | null;
  requestBodyRequired: boolean;
  responses: string[];
}

export interface MatchedOperation {
  operationId: string;
  params: Record<string, string>;
  responses: string[];
}

export type Validation = { ok: true; operation: MatchedOperation } | { ok: false; status: 404 | 422; problem: string };

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;

export class OpenApiValidator {
  private readonly routes: { operation: Operation; pattern: RegExp; names: string[]; params: ValidateFunction; body: ValidateFunction | null }[];
  readonly source: string;

  constructor(file = new URL('../../fixtures/github/openapi-operations.json', import.meta.url)) {
    const spec = JSON.parse(readFileSync(file, 'utf8')) as { source: string; operations: Operation[] };
    this.source = spec.source;
    // OpenAPI 3.0 schemas: `nullable`, `example` and friends are not JSON Schema keywords, hence strict: false.
    const ajv = addFormats(new Ajv({ strict: false, allErrors: false, coerceTypes: false }));
    const coercing = addFormats(new Ajv({ strict: false, coerceTypes: true }));
    this.routes = spec.operations.map((operation) => {
      const names: string[] = [];
      const pattern = new RegExp(
        '^' + operation.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{([^}]+)\}/g, (_m, name: string) => (names.push(name), '([^/]+)')) + '$',
      );
      const params = operation.parameters.filter((p) => p.in !== 'header');
      const paramSchema = {
        type: 'object',
        properties: Object.fromEntries(params.map((p) => [p.name, p.schema])),
        required: params.filter((p) => p.required).map((p) => p.name),
        additionalProperties: false,
      };
      return { operation, pattern, names, params: coercing.compile(paramSchema), body: operation.requestBody ? ajv.compile(operation.requestBody) : null };
    });
  }

  /** Matches and validates one request; `body` is the parsed JSON body (undefined when none). */
  validate(method: string, path: string, query: URLSearchParams, body: unknown): Validation {
    for (const route of this.routes) {
      if (route.operation.method !== method) continue;
      const match = route.pattern.exec(path);
      if (!match) continue;
      const params: Record<string, string> = {};
      route.names.forEach((name, i) => (params[name] = decodeURIComponent(match[i + 1]!)));
      const all: Record<string, unknown> = { ...params, ...Object.fromEntries(query) };
      if (!route.params(all)) return { ok: false, status: 422, problem: `${route.operation.operationId} parameters: ${describe(route.params)}` };
      if (route.body) {
        if (body === undefined && route.operation.requestBodyRequired) return { ok: false, status: 422, problem: `${route.operation.operationId}: body is required` };
        if (body !== undefined && !route.body(body)) return { ok: false, status: 422, problem: `${route.operation.operationId} body: ${describe(route.body)}` };
      } else if (body !== undefined && method !== 'GET') {
        return { ok: false, status: 422, problem: `${route.operation.operationId}: takes no body` };
      }
      return { ok: true, operation: { operationId: route.operation.operationId, params, responses: route.operation.responses } };
    }
    return { ok: false, status: 404, problem: `${method} ${path}: no such operation in ${this.source} (or not extracted)` };
  }
}

function describe(validate: ValidateFunction): string {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`).join('; ');
}
