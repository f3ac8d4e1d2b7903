/**
 * Reading trace files with bounds (issue 13): regular files only (a FIFO would hang, a device such as
 * /dev/zero never ends), at most MAX_TRACE_FILE_BYTES, within a time limit. The file is opened first and
 * checked through its handle, so it cannot be swapped between the check and the read.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { MAX_TRACE_FILE_BYTES } from './files.js';

export const TRACE_READ_TIMEOUT_MS = 30_000;

/** Why a trace file was not read, for messages ("not a regular file (a FIFO)"). */
export class TraceFileRefused extends Error {}

/**
 * The bytes of one trace file. `followSymlinks: false` (trace directories, written by the program under
 * test) refuses symbolic links; the CLI follows them, as the user named the path. Throws TraceFileRefused
 * for what is not a bounded regular file, and the system error (ENOENT, EACCES…) otherwise.
 */
export async function readTraceFile(path: string, options: { followSymlinks: boolean; timeoutMs?: number }): Promise<Buffer> {
  const flags = constants.O_RDONLY | constants.O_NONBLOCK | (options.followSymlinks ? 0 : constants.O_NOFOLLOW);
  let handle;
  try {
    handle = await open(path, flags);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new TraceFileRefused('a symbolic link; not followed');
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new TraceFileRefused(`not a regular file (${kindOf(stat)}); not read`);
    if (stat.size > MAX_TRACE_FILE_BYTES) {
      throw new TraceFileRefused(`${(stat.size / 2 ** 20).toFixed(0)} MiB, more than the ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB limit; not read`);
    }
    const timeoutMs = options.timeoutMs ?? TRACE_READ_TIMEOUT_MS;
    const bytes = await handle.readFile({ signal: AbortSignal.timeout(timeoutMs) }).catch((error: Error) => {
      if (error.name === 'AbortError' || error.name === 'TimeoutError') throw new TraceFileRefused(`not read within ${timeoutMs / 1000} s`);
      throw error;
    });
    // A file that grew after the check is cut off here rather than read without bound.
    if (bytes.length > MAX_TRACE_FILE_BYTES) throw new TraceFileRefused(`grew past the ${MAX_TRACE_FILE_BYTES / 2 ** 20} MiB limit while read; not read`);
    return bytes;
  } finally {
    await handle.close();
  }
}

function kindOf(stat: { isDirectory(): boolean; isFIFO(): boolean; isCharacterDevice(): boolean; isBlockDevice(): boolean; isSocket(): boolean }): string {
  if (stat.isDirectory()) return 'a directory';
  if (stat.isFIFO()) return 'a FIFO';
  if (stat.isCharacterDevice()) return 'a character device';
  if (stat.isBlockDevice()) return 'a block device';
  if (stat.isSocket()) return 'a socket';
  return 'not a file';
}
