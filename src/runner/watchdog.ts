/**
 * Takes the runs in flight down with Frametail when it dies in a way no handler sees (`kill -9`, an
 * out-of-memory kill, a crash of the runner). Linux's prctl(PR_SET_PDEATHSIG) is not reachable from Node,
 * so a tiny watchdog process holds the read end of a pipe: Frametail writes `+PGID` / `-PGID` as run
 * process groups start and end, and when the pipe closes (the kernel closes it whatever killed its
 * parent) the watchdog sends SIGKILL to every group still listed, then exits. It lives in its own
 * process group so a terminal's Ctrl-C reaches it only through Frametail's handler, and it never keeps
 * Frametail's event loop alive.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Socket } from 'node:net';

const WATCHDOG_SOURCE = `
const groups = new Set();
let pending = '';
const killAll = () => {
  for (const pgid of groups) { try { process.kill(-pgid, 'SIGKILL'); } catch {} }
  process.exit(0);
};
process.on('SIGINT', () => {});
process.on('SIGHUP', () => {});
process.stdin.setEncoding('utf8');
process.stdin.on('data', (chunk) => {
  pending += chunk;
  let end;
  while ((end = pending.indexOf('\\n')) >= 0) {
    const line = pending.slice(0, end);
    pending = pending.slice(end + 1);
    const pgid = Number(line.slice(1));
    if (!Number.isInteger(pgid) || pgid <= 1) continue;
    if (line[0] === '+') groups.add(pgid); else groups.delete(pgid);
  }
});
process.stdin.on('end', killAll);
process.stdin.on('error', killAll);
`;

let watchdog: ChildProcess | undefined;
let failed = false;

function ensureWatchdog(): ChildProcess | undefined {
  if (watchdog || failed) return watchdog;
  try {
    const child = spawn(process.execPath, ['-e', WATCHDOG_SOURCE], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: {} });
    child.on('error', () => {
      failed = true;
      watchdog = undefined;
    });
    child.on('exit', () => {
      if (watchdog === child) watchdog = undefined;
    });
    child.stdin!.on('error', () => {});
    child.unref();
    (child.stdin as unknown as Socket).unref();
    watchdog = child;
  } catch {
    // Without a watchdog the signal handlers still take runs down on SIGINT/SIGTERM.
    failed = true;
  }
  return watchdog;
}

/** The watchdog kills this process group if Frametail dies before calling `releaseGroup`. */
export function guardGroup(pgid: number): void {
  ensureWatchdog()?.stdin?.write(`+${pgid}\n`);
}

export function releaseGroup(pgid: number): void {
  if (watchdog && !watchdog.stdin?.destroyed) watchdog.stdin?.write(`-${pgid}\n`);
}
