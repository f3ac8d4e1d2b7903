/**
 * Built-in metric `peak-rss`: the peak resident memory of a run's process tree, in MB (10^6 bytes).
 *
 * Method (Linux; elsewhere the value is missing and counted as such): every SAMPLE_MS, walk the tree from
 * the run's process through /proc/<pid>/task/<pid>/children (the main thread's children; at most
 * MAX_PROCESSES) and read VmRSS and VmHWM from each /proc/<pid>/status. A sample's value is the larger of
 * the tree's summed VmRSS and the largest single VmHWM (a process's own high-water mark, which catches
 * spikes between samples in a one-process pipeline); the run's value is the largest sample.
 *
 * Precision: a lower bound of the true peak. It misses growth in the last interval before the process
 * exits, spikes shorter than SAMPLE_MS that several processes reach together, and children started by
 * other threads or reparented away from the tree; RSS counts shared pages in every process that maps
 * them, which can over-count a tree of forked workers. Each sample costs a few small reads per process.
 */
import { readFileSync } from 'node:fs';

export const SAMPLE_MS = 50;
const MAX_PROCESSES = 256;

export interface PeakMemorySampler {
  /** Stops sampling; the peak in MB, or null when nothing could be read (not Linux, process gone at once). */
  stop(): number | null;
}

/** Starts sampling the tree of `pid` now and every `intervalMs`. */
export function samplePeakMemory(pid: number, intervalMs: number = SAMPLE_MS, procRoot = '/proc'): PeakMemorySampler {
  let peakKb = -1;
  const sample = () => {
    const kb = treeSampleKb(pid, procRoot);
    if (kb !== null && kb > peakKb) peakKb = kb;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  timer.unref();
  return {
    stop() {
      clearInterval(timer);
      return peakKb < 0 ? null : Math.round((peakKb * 1024) / 1e3) / 1e3;
    },
  };
}

/** One sample of the tree of `pid` in kB, or null when its root could not be read. */
export function treeSampleKb(pid: number, procRoot = '/proc'): number | null {
  const queue = [pid];
  const seen = new Set<number>();
  let sumRss = 0;
  let maxHwm = 0;
  let readAny = false;
  for (let i = 0; i < queue.length && seen.size < MAX_PROCESSES; i++) {
    const at = queue[i]!;
    if (seen.has(at)) continue;
    seen.add(at);
    const status = readSmall(`${procRoot}/${at}/status`);
    if (status === null) continue;
    readAny = true;
    sumRss += statusKb(status, 'VmRSS');
    maxHwm = Math.max(maxHwm, statusKb(status, 'VmHWM'));
    const children = readSmall(`${procRoot}/${at}/task/${at}/children`);
    if (children) for (const child of children.trim().split(/\s+/)) if (/^\d+$/.test(child)) queue.push(Number(child));
  }
  return readAny ? Math.max(sumRss, maxHwm) : null;
}

/** The kB value of a `Key:   123 kB` line of /proc/<pid>/status, 0 when absent (a kernel thread, a zombie). */
export function statusKb(status: string, key: string): number {
  const at = status.indexOf(`\n${key}:`);
  if (at < 0) return 0;
  const match = /^\s*(\d+)/.exec(status.slice(at + key.length + 2, at + key.length + 40));
  return match ? Number(match[1]) : 0;
}

function readSmall(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}
