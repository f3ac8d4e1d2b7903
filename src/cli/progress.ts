/**
 * Progress of a matrix on stderr: a bar redrawn in place on a terminal, one plain line per run
 * elsewhere (CI logs keep every line, and carriage returns would garble them).
 */
import type { RunLine } from '../results/format.js';
import type { ProgressSink } from '../runner/progress.js';

export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

/** A bar when `stream` is a terminal and CI is not set, plain lines otherwise. */
export function cliProgress(stream: ProgressStream, env: NodeJS.ProcessEnv = process.env): ProgressSink {
  return stream.isTTY && !env.CI ? barProgress(stream) : lineProgress(stream);
}

/** "head pirouette × closeup r3: completed 812.4 ms" */
export function describeRun(run: RunLine): string {
  const what = `${run.side} ${run.input} × ${run.variant} ${run.phase === 'measure' ? 'r' : run.phase === 'warmup' ? 'warm-up ' : 'fine '}${run.round ?? ''}`;
  const result = run.status === 'completed' ? `${(run.latencyMs ?? 0).toFixed(1)} ms` : `${run.status}${run.exitCode !== null && run.exitCode !== undefined ? ` (exit ${run.exitCode})` : ''}`;
  return `${what}: ${result}`;
}

export function lineProgress(stream: ProgressStream): ProgressSink {
  let width = 1;
  return {
    begin(label, total, skipped) {
      width = String(total).length;
      stream.write(`${label}: ${total} runs${skipped ? ` (${skipped} already recorded)` : ''}\n`);
    },
    runDone(run, done, total) {
      stream.write(`[${String(done).padStart(width)}/${total}] ${describeRun(run)}\n`);
    },
    end() {},
  };
}

export function barProgress(stream: ProgressStream): ProgressSink {
  let label = '';
  let failures = 0;
  const draw = (done: number, total: number, last: string) => {
    const columns = stream.columns ?? 80;
    const barWidth = 24;
    const filled = total === 0 ? barWidth : Math.round((done / total) * barWidth);
    const line = `${label} [${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${done}/${total}${failures ? ` · ${failures} failed` : ''} · ${last}`;
    stream.write(`\r\x1b[2K${line.slice(0, columns - 1)}`);
  };
  return {
    begin(text, total, skipped) {
      label = text;
      failures = 0;
      draw(skipped, total, skipped ? `${skipped} already recorded` : 'starting');
    },
    runDone(run, done, total) {
      if (run.status !== 'completed') failures++;
      draw(done, total, describeRun(run));
    },
    end() {
      stream.write('\n');
    },
  };
}
