#!/usr/bin/env node
// A run that leaves a member behind which ignores SIGTERM and closed its stdio.
//   stubborn.mjs PIDFILE exit0|exit1|hang
// The child is in the same process group (no setsid); "<leader pid> <child pid>" goes to PIDFILE once
// the child has installed its SIGTERM handler.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';

const [pidFile, mode] = process.argv.slice(2);
const child = spawn(process.execPath, ['-e', "process.on('SIGTERM', () => {}); process.send?.('x'); console.log('ready'); setInterval(() => {}, 1000)"], { stdio: ['ignore', 'pipe', 'ignore'] });
child.stdout.once('data', () => {
  child.stdout.destroy();
  child.unref();
  writeFileSync(pidFile, `${process.pid} ${child.pid}`);
  if (mode === 'exit0') process.exit(0);
  if (mode === 'exit1') process.exit(1);
  setInterval(() => {}, 1000);
});
