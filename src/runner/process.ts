/**
 * Spawns one run's process and times it. The process gets its own process group, and the whole group is
 * gone when the run ends, however it ends: after a normal exit, a failure or a timeout (SIGTERM, then
 * SIGKILL after the grace period), every member still in the group gets SIGKILL, so a worker that
 * ignores SIGTERM or closed its stdio never outlives its run. If Frametail itself dies, the watchdog
 * (watchdog.ts) kills the groups in flight.
 */
import { spawn } from 'node:child_process';
import type { CellCommand } from '../plan/command.js';
import { setLongTimeout, type LongTimer } from './long-timer.js';
import { guardGroup, releaseGroup } from './watchdog.js';

export interface ProcessSpec {
  command: CellCommand;
  cwd: string;
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  /** Between SIGTERM and SIGKILL of the group on timeout. */
  killGraceMs?: number;
  /** Bytes of stderr kept for the run's `error` field. */
  stderrTailBytes?: number;
  /** Called once the process exists, with its pid (the group id), e.g. to sample its memory. */
  onStart?: (pid: number) => void;
}

export interface ProcessOutcome {
  status: 'completed' | 'failed' | 'timeout';
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Spawn to exit, from the monotonic clock. */
  wallMs: number;
  startedAt: Date;
  /** The end of stderr (failed and timed-out runs), or why the process could not start. */
  stderrTail: string;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: NodeJS.ErrnoException;
}

const DEFAULT_GRACE_MS = 2000;
const DEFAULT_TAIL_BYTES = 2048;
/** After the main process exits, how long stderr may stay open (a daemonized grandchild) before we stop reading. */
const CLOSE_WAIT_MS = 1000;

/** Process groups of runs in flight, so an interrupted Frametail can take them down with it. */
const activeGroups = new Set<number>();

/** Kills every run still in flight (SIGKILL to each group); for SIGINT/SIGTERM handlers. */
export function killActiveRuns(): void {
  for (const pid of activeGroups) killGroup(pid, 'SIGKILL');
  activeGroups.clear();
}

/** Runs a command to completion, failure or timeout; never rejects. */
export function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  const grace = spec.killGraceMs ?? DEFAULT_GRACE_MS;
  const tail = new TailBuffer(spec.stderrTailBytes ?? DEFAULT_TAIL_BYTES);
  const [program, args] = 'argv' in spec.command ? [spec.command.argv[0]!, spec.command.argv.slice(1)] : ['/bin/sh', ['-c', spec.command.shell]];
  return new Promise((resolve) => {
    const startedAt = new Date();
    const start = process.hrtime.bigint();
    const child = spawn(program, args, { cwd: spec.cwd, env: spec.env, detached: true, stdio: ['ignore', 'ignore', 'pipe'] });
    if (child.pid !== undefined) {
      activeGroups.add(child.pid);
      guardGroup(child.pid);
      spec.onStart?.(child.pid);
    }
    let timedOut = false;
    let exit: { code: number | null; signal: NodeJS.Signals | null; end: bigint } | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    let settled = false;

    const finish = (outcome: Omit<ProcessOutcome, 'startedAt' | 'stderrTail'> & { stderrTail?: string }) => {
      if (settled) return;
      settled = true;
      // Whatever is left in the group goes with the run (members that ignored SIGTERM included).
      killGroup(child.pid, 'SIGKILL');
      if (child.pid !== undefined) {
        activeGroups.delete(child.pid);
        releaseGroup(child.pid);
      }
      timeoutTimer.clear();
      clearTimeout(killTimer);
      resolve({ startedAt, stderrTail: tail.text(), ...outcome });
    };
    const timeoutTimer: LongTimer = setLongTimeout(() => {
      timedOut = true;
      killGroup(child.pid, 'SIGTERM');
      killTimer = setTimeout(() => killGroup(child.pid, 'SIGKILL'), grace);
    }, spec.timeoutMs);

    child.stderr!.on('data', (chunk: Buffer) => tail.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) => {
      // Only a failed spawn reaches here without an exit (kill errors are ignored by killGroup).
      if (exit) return;
      finish({ status: 'failed', exitCode: null, signal: null, wallMs: elapsedMs(start, process.hrtime.bigint()), stderrTail: `cannot start ${program}: ${error.message}`, spawnError: error });
    });
    child.on('exit', (code, signal) => {
      exit = { code, signal, end: process.hrtime.bigint() };
      // The run is over: whatever it left running in its group goes too, also after a timeout whose
      // SIGTERM ended the leader but not a member that ignores it.
      killGroup(child.pid, 'SIGKILL');
      const closeTimer = setTimeout(() => child.stderr!.destroy(), CLOSE_WAIT_MS);
      child.once('close', () => {
        clearTimeout(closeTimer);
        report();
      });
    });
    const report = () => {
      if (!exit) return;
      const wallMs = elapsedMs(start, exit.end);
      if (timedOut) return finish({ status: 'timeout', exitCode: exit.code, signal: exit.signal, wallMs, stderrTail: `timed out after ${spec.timeoutMs} ms` + (tail.text() ? `\n${tail.text()}` : '') });
      const ok = exit.code === 0;
      finish({ status: ok ? 'completed' : 'failed', exitCode: exit.code, signal: exit.signal, wallMs, stderrTail: ok ? '' : tail.text() || (exit.signal ? `killed by ${exit.signal}` : '') });
    };
  });
}

/** Sends a signal to a whole process group; a group that is already gone is fine. */
export function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: nothing left in the group.
  }
}

function elapsedMs(start: bigint, end: bigint): number {
  return Number(end - start) / 1e6;
}

/** Keeps the last `limit` bytes written to it, decoded as UTF-8 on demand. */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    while (this.chunks.length > 1 && this.size - this.chunks[0]!.length >= this.limit) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    const all = Buffer.concat(this.chunks);
    return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8').replace(/^\uFFFD/, '').trimEnd();
  }
}
