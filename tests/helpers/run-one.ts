// Stands in for a Frametail process with one run in flight: `run-one.ts PIDFILE` runs stubborn.mjs
// (which hangs) under runProcess and waits; the test kills this process with SIGKILL.
import { fileURLToPath } from 'node:url';
import { runProcess } from '../../src/runner/process.js';

const stubborn = fileURLToPath(new URL('./stubborn.mjs', import.meta.url));
await runProcess({ command: { argv: [process.execPath, stubborn, process.argv[2]!, 'hang'] }, cwd: process.cwd(), env: process.env, timeoutMs: 600_000 });
