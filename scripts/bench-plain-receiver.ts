// The yardstick of scripts/bench-receiver-ingest.ts: the least an OTLP/HTTP receiver must do, in its own
// process. It checks the bearer token, reads the body and decodes it (JSON.parse for application/json, the
// protobufjs decode of ExportTraceServiceRequest for application/x-protobuf), then answers 200 `{}`.
// It keeps nothing. Usage: tsx scripts/bench-plain-receiver.ts PORT TOKEN (prints "listening" when ready).
import { createServer } from 'node:http';
import protobuf from 'protobufjs';
import descriptor from '../src/traces/otlp/otlp-trace.descriptor.json' with { type: 'json' };

const Request = protobuf.Root.fromJSON(descriptor as protobuf.INamespace).lookupType('opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest');
const [port, token] = process.argv.slice(2);
let decoded = 0;

const server = createServer((req, res) => {
  if (req.headers.authorization !== `Bearer ${token}`) return void res.writeHead(401).end();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
    const request = req.headers['content-type'] === 'application/x-protobuf' ? Request.decode(body) : JSON.parse(body.toString('utf8'));
    if ((request as { resourceSpans?: unknown }).resourceSpans) decoded++;
    res.writeHead(200, { 'Content-Type': 'application/json' }).end('{}');
  });
});
server.listen(Number(port), '127.0.0.1', () => process.stderr.write('listening\n'));
process.once('SIGINT', () => {
  process.stderr.write(`${decoded} requests decoded\n`);
  server.close();
  server.closeAllConnections();
});
