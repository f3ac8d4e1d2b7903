/**
 * `frametail receive [--port N] [--out FILE]`: the OTLP receiver on its own, writing every span it
 * gets as a results span line (JSONL) until interrupted. It prints the environment an app needs to
 * send to it, bearer token included.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { startReceiver } from '../../traces/receiver.js';
import { parseVerbArgs, positiveInt } from '../args.js';
import type { CliIo } from '../io.js';

const USAGE = 'frametail receive [--port N] [--out FILE]';
const MAX_BODY_BYTES = 16 * 1024 * 1024;

export async function receiveCommand(args: string[], io: CliIo, stop: Promise<unknown> = interrupted()): Promise<number> {
  const { values } = parseVerbArgs('receive', args, { port: { type: 'string' }, out: { type: 'string' } }, USAGE);
  const port = positiveInt('port', values.port, 65_535) ?? 4318;
  const file = values.out ? createWriteStream(values.out, { flags: 'a' }) : undefined;
  // Span lines come as UTF-8 bytes from the protobuf path: a file takes them as they are, stdout as text.
  const write = (lines: string | Uint8Array) =>
    file ? file.write(lines) : io.stdout.write(typeof lines === 'string' ? lines : Buffer.from(lines.buffer, lines.byteOffset, lines.byteLength).toString('utf8'));
  const token = io.env.FRAMETAIL_RECEIVER_TOKEN ?? randomBytes(24).toString('hex');
  let spans = 0;
  const receiver = await startReceiver({
    token,
    maxBodyBytes: MAX_BODY_BYTES,
    port,
    onSpanLines(_runId, lines, count) {
      spans += count;
      write(lines); // one write per run and request
    },
  });
  io.stderr.write(
    `receiving OTLP traces on ${receiver.url} (OTLP/HTTP ${receiver.endpoint}, OTLP/gRPC on the same port)${values.out ? `, writing span lines to ${values.out}` : ''}; Ctrl-C stops\n` +
      `  export OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url}\n` +
      `  export OTEL_EXPORTER_OTLP_HEADERS=Authorization=Bearer%20${token}\n`,
  );
  await stop;
  await receiver.close();
  if (file) await new Promise((resolve) => file.end(resolve));
  io.stderr.write(`${spans} ${spans === 1 ? 'span' : 'spans'} received\n`);
  return 0;
}

function interrupted(): Promise<void> {
  return new Promise((resolve) => {
    process.removeAllListeners('SIGINT');
    process.removeAllListeners('SIGTERM');
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}
