import { describe, expect, it } from 'vitest';
import { describeFailure } from '../src/cli/exit.js';
import { InputError } from '../src/errors.js';
import { cellsOf, planRuns } from '../src/plan/plan.js';
import { isCredential, measuredEnv, newTraceContext, runEnv } from '../src/runner/env.js';
import { testConfig } from './helpers/config.js';

const config = testConfig({ run: { env: { OTEL_SERVICE_NAME: 'my-pipeline' } } });
const run = planRuns({ cells: cellsOf(config).slice(1), sides: ['base', 'head'], firstRound: 2, lastRound: 2, warmup: 0, granularity: 'fine' })[0]!;
const trace = newTraceContext((n) => Buffer.alloc(n, 0xab));
const receiver = { url: 'http://127.0.0.1:4999', endpoint: 'http://127.0.0.1:4999/v1/traces', token: 't0k3n' };

describe('runEnv', () => {
  it('points OTLP exporters at the job receiver with its bearer token, and starts one W3C trace per run', () => {
    const env = runEnv({ baseEnv: { PATH: '/bin' }, config, run, traceDir: '/tmp/t', trace, receiver });
    expect(env).toMatchObject({
      PATH: '/bin',
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4999',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://127.0.0.1:4999/v1/traces',
      OTEL_EXPORTER_OTLP_HEADERS: 'Authorization=Bearer%20t0k3n',
      TRACEPARENT: `00-${'ab'.repeat(16)}-${'ab'.repeat(8)}-01`,
      FRAMETAIL_SIDE: 'head',
      FRAMETAIL_ROUND: '2',
      FRAMETAIL_VARIANT: 'wide',
      FRAMETAIL_GRANULARITY: 'fine',
      OTEL_RESOURCE_ATTRIBUTES: 'frametail.run.id=head-pirouette-wide-r2',
    });
  });

  it('overrides an OTLP collector configured in the job environment for traces, and keeps the protocol the user chose', () => {
    const baseEnv = {
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'https://collector.example/v1/traces',
      OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-api-key=production-secret',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    };
    const env = runEnv({ baseEnv, config, run, traceDir: '/tmp/t', trace, receiver });
    expect(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT).toBe('http://127.0.0.1:4999/v1/traces');
    expect(env.OTEL_EXPORTER_OTLP_TRACES_HEADERS).toBe('Authorization=Bearer%20t0k3n');
    expect(env.OTEL_EXPORTER_OTLP_PROTOCOL).toBe('grpc');
    expect(runEnv({ baseEnv: {}, config, run, traceDir: '/tmp/t', trace, receiver }).OTEL_EXPORTER_OTLP_PROTOCOL).toBeUndefined();
  });

  it('keeps a service name the user set, and names the service otherwise', () => {
    expect(runEnv({ baseEnv: {}, config, run, traceDir: '/tmp/t', trace }).OTEL_SERVICE_NAME).toBe('my-pipeline');
    expect(runEnv({ baseEnv: {}, config: testConfig(), run, traceDir: '/tmp/t', trace }).OTEL_SERVICE_NAME).toBe('frametail-pipeline');
  });

  it('sets no OTLP endpoint when the job has no receiver', () => {
    const env = runEnv({ baseEnv: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, config, run, traceDir: '/tmp/t', trace });
    expect(env.OTEL_EXPORTER_OTLP_ENDPOINT).toBe('http://collector:4318');
    expect(env.OTEL_EXPORTER_OTLP_HEADERS).toBeUndefined();
  });
});

describe('measuredEnv', () => {
  const actionEnv = {
    PATH: '/bin',
    HOME: '/home/runner',
    'INPUT_GITHUB-TOKEN': 'ghs_secret',
    INPUT_CONFIG: '.github/frametail.yml',
    ACTIONS_RUNTIME_TOKEN: 'runtime-secret',
    ACTIONS_RUNTIME_URL: 'https://pipelines.example/',
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-secret',
    ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/',
    ACTIONS_RESULTS_URL: 'https://results.example/',
    ACTIONS_CACHE_URL: 'https://cache.example/',
    GITHUB_TOKEN: 'ghs_other',
    GH_TOKEN: 'ghs_gh',
    GITHUB_OUTPUT: '/runner/_temp/set_output',
    GITHUB_ENV: '/runner/_temp/set_env',
    GITHUB_REPOSITORY: 'acme/studio',
    REPLICATE_API_TOKEN: 'r8_user_secret',
  };

  it('drops the action inputs, runtime, OIDC, cache and results credentials and the workflow command files', () => {
    expect(measuredEnv(actionEnv)).toEqual({ PATH: '/bin', HOME: '/home/runner', GITHUB_REPOSITORY: 'acme/studio', REPLICATE_API_TOKEN: 'r8_user_secret' });
  });

  it('reaches every run: run.env can still set a variable explicitly', () => {
    const withToken = testConfig({ run: { env: { GITHUB_TOKEN: 'explicit' } } });
    const env = runEnv({ baseEnv: actionEnv, config: withToken, run, traceDir: '/tmp/t', trace });
    expect(Object.keys(env).filter(isCredential)).toEqual(['GITHUB_TOKEN']);
    expect(env.GITHUB_TOKEN).toBe('explicit');
    expect(env.REPLICATE_API_TOKEN).toBe('r8_user_secret');
  });

  it('matches names whatever their case (Windows environments are case-insensitive)', () => {
    expect(['input_github-token', 'Actions_Runtime_Token', 'github_token'].every(isCredential)).toBe(true);
    expect(['GITHUB_SHA', 'GITHUB_WORKSPACE', 'RUNNER_TEMP', 'OTEL_EXPORTER_OTLP_ENDPOINT', 'HF_TOKEN'].some(isCredential)).toBe(false);
  });
});

describe('describeFailure', () => {
  it('maps input errors to exit 2 with their message, and anything else to exit 2 as an internal error', () => {
    expect(describeFailure(new InputError('frametail.yml:3: run: is missing'), false)).toEqual({ message: 'frametail: frametail.yml:3: run: is missing', exitCode: 2 });
    const internal = describeFailure(new TypeError('x is undefined'), false);
    expect(internal.exitCode).toBe(2);
    expect(internal.message).toMatch(/^frametail: internal error: x is undefined\n\(set FRAMETAIL_DEBUG=1/);
    expect(describeFailure(new TypeError('x is undefined'), true).message).toMatch(/TypeError: x is undefined\n\s+at /);
  });
});
