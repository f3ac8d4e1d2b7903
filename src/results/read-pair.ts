/**
 * Reads the base and head results files of one comparison, the head file in a worker thread while this
 * thread reads the base file, when both are large: reading is half of `frametail compare` on results of
 * millions of runs, and a runner has a second core. The worker runs the same reader (read.ts) and hands
 * its run store back (run-store.ts: typed arrays, moved without a copy); everything else (header, spans,
 * footer, warnings) is structured-cloned. Whatever goes wrong with the worker itself (it cannot start, it
 * dies), the head file is read here instead: the result is the same, only slower.
 *
 * A worker needs a script: the bundled entry points (cli/main.ts, action/main.ts) register themselves
 * with `useResultsWorker(import.meta.url)` and start with `serveResultsWorker()`, which answers in a
 * worker thread started for this and does nothing anywhere else. Without a registered script (tests,
 * the library) both files are read here.
 */
import { stat } from 'node:fs/promises';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { InputError } from '../errors.js';
import { readResults, resultsFileOf, runSourceOf, type ResultsFile } from './read.js';
import { RunStore, type StoreState } from './run-store.js';

/** Head files smaller than this are read in this thread: starting a worker (loading the bundle) costs ~0.2 s. */
export const PARALLEL_MIN_BYTES = 32 * 1024 * 1024;

const TASK = 'frametail.read-results';

interface WorkerScript {
  url: URL;
  /** Node options of the worker (default: this process's, e.g. a loader). */
  execArgv?: string[];
}

let script: WorkerScript | undefined;

/** The script a results worker runs: an entry point that calls `serveResultsWorker()` first. undefined: none. */
export function useResultsWorker(url: string | URL | undefined, execArgv?: string[]): void {
  script = url === undefined ? undefined : { url: new URL(url), ...(execArgv ? { execArgv } : {}) };
}

export interface ReadPairOptions {
  /** Head files at least this large are read in a worker (default PARALLEL_MIN_BYTES). */
  minBytes?: number;
  /** Told where the head file was read: by a worker, or here (no worker, a small file, or the worker failed). */
  readBy?: (where: 'worker' | 'here') => void;
}

/**
 * FRAMETAIL_READ_WORKER: `off` reads both files in this thread always; `always` reads the head file in a
 * worker whatever its size and fails when the worker cannot (the tests check the bundles so). Unset: by size.
 */
function workerMode(): 'off' | 'always' | 'auto' {
  const mode = process.env.FRAMETAIL_READ_WORKER;
  return mode === 'off' || mode === 'always' ? mode : 'auto';
}

/** Both files read as `readResults` reads them, the head file in a worker when worth it. Rejects as readResults does. */
export async function readResultsPair(baseFile: string, headFile: string, options: ReadPairOptions = {}): Promise<[ResultsFile, ResultsFile]> {
  const mode = workerMode();
  const wanted = mode === 'always' || (mode === 'auto' && (await worthAWorker(headFile, options)));
  if (wanted && mode === 'always' && !script) throw new Error('FRAMETAIL_READ_WORKER=always, but this program registered no results worker');
  const worker = script && wanted ? startWorker(script, headFile) : undefined;
  if (!worker) {
    options.readBy?.('here');
    return Promise.all([readResults(baseFile), readResults(headFile)]);
  }
  const headRead = worker.then((read) => {
    if (!read && mode === 'always') throw new Error(`FRAMETAIL_READ_WORKER=always, but the worker that was to read ${headFile} did not run`);
    options.readBy?.(read ? 'worker' : 'here');
    return read ?? readResults(headFile);
  });
  // Both readings run to their end before either error is thrown, as Promise.all would leave them.
  const [base, head] = await Promise.allSettled([readResults(baseFile), headRead]);
  if (base.status === 'rejected') throw base.reason;
  if (head.status === 'rejected') throw head.reason;
  return [base.value, head.value];
}

async function worthAWorker(file: string, options: ReadPairOptions): Promise<boolean> {
  const minBytes = options.minBytes ?? PARALLEL_MIN_BYTES;
  try {
    const info = await stat(file);
    return info.isFile() && info.size >= minBytes;
  } catch {
    return false; // readResults gives the message
  }
}

/** What a results worker posts: the file as read, or the error readResults threw. */
type Answer =
  | { ok: true; file: Omit<ResultsFile, 'runs'>; store: StoreState }
  | { ok: false; message: string; input: boolean; location?: InputError['location'] };

/** The file read by a worker; undefined when the worker itself failed (then the caller reads the file). */
function startWorker(script: WorkerScript, file: string): Promise<ResultsFile | undefined> {
  return new Promise((resolve, reject) => {
    let worker: Worker;
    try {
      worker = new Worker(script.url, { workerData: { task: TASK, file }, ...(script.execArgv ? { execArgv: script.execArgv } : {}) });
    } catch {
      return resolve(undefined);
    }
    let answered = false;
    worker.once('message', (answer: Answer) => {
      answered = true;
      // Its heap goes now, before the runs are rebuilt here.
      void worker.terminate();
      if (answer.ok) return resolve(resultsFileOf(answer.file, RunStore.fromSnapshot(answer.store)));
      reject(answer.input ? new InputError(answer.message, answer.location) : new Error(answer.message));
    });
    worker.once('error', () => {
      if (!answered) resolve(undefined);
    });
    worker.once('exit', () => {
      if (!answered) resolve(undefined);
    });
  });
}

/** True in a worker thread started by readResultsPair. */
export function isResultsWorker(): boolean {
  return !isMainThread && (workerData as { task?: unknown } | null)?.task === TASK;
}

/**
 * In a results worker: reads the file it was given and posts it back, then returns true (the entry point
 * does nothing else). Anywhere else: false at once.
 */
export async function serveResultsWorker(): Promise<boolean> {
  if (!isResultsWorker() || !parentPort) return false;
  const { file } = workerData as { file: string };
  let answer: Answer;
  let transfer: ArrayBuffer[] = [];
  try {
    const read = await readResults(file);
    const store = runSourceOf(read);
    if (!(store instanceof RunStore)) throw new Error('the reader kept no run store');
    const snapshot = store.snapshot();
    transfer = snapshot.transfer;
    answer = { ok: true, file: { file: read.file, ...(read.header ? { header: read.header } : {}), spans: read.spans, ...(read.footer ? { footer: read.footer } : {}), warnings: read.warnings }, store: snapshot.state };
  } catch (error) {
    const input = error instanceof InputError;
    answer = { ok: false, message: error instanceof Error ? error.message : String(error), input, ...(input && error.location ? { location: error.location } : {}) };
  }
  parentPort.postMessage(answer, transfer);
  return true;
}
