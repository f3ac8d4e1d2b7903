/**
 * A small, defensive reader for the zip archives GitHub serves for artifacts. Artifacts uploaded by a
 * fork's workflow are untrusted, so the reader enforces limits before it inflates anything: entry
 * count, per-entry and total uncompressed size (checked while inflating, not from the declared sizes),
 * and entry names (no absolute paths, no `..`, no drive letters: a zip-slip path is refused). It reads
 * the central directory only; stored and deflated entries are supported, ZIP64 and encryption are not.
 */
import { crc32, inflateRawSync } from 'node:zlib';
import { InputError } from '../errors.js';

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;

/** Unzips `archive` into memory within `limits`; `label` names the archive in error messages. */
export function readZip(archive: Buffer, limits: ZipLimits, label: string): ZipEntry[] {
  const fail = (message: string) => new InputError(`${label}: ${message}`);
  const eocd = findEndOfCentralDirectory(archive);
  if (eocd < 0) throw fail('not a zip archive');
  const count = archive.readUInt16LE(eocd + 10);
  const directoryOffset = archive.readUInt32LE(eocd + 16);
  if (count === 0xffff || directoryOffset === 0xffffffff) throw fail('ZIP64 archives are not supported');
  if (count > limits.maxEntries) throw fail(`${count} entries, more than the ${limits.maxEntries} allowed`);

  const entries: ZipEntry[] = [];
  let total = 0;
  let offset = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (offset + 46 > archive.length || archive.readUInt32LE(offset) !== CENTRAL_SIGNATURE) throw fail('corrupt central directory');
    const flags = archive.readUInt16LE(offset + 8);
    const method = archive.readUInt16LE(offset + 10);
    const expectedCrc = archive.readUInt32LE(offset + 16);
    const compressedSize = archive.readUInt32LE(offset + 20);
    const nameLength = archive.readUInt16LE(offset + 28);
    const extraLength = archive.readUInt16LE(offset + 30);
    const commentLength = archive.readUInt16LE(offset + 32);
    const localOffset = archive.readUInt32LE(offset + 42);
    const name = archive.subarray(offset + 46, offset + 46 + nameLength).toString('utf8');
    offset += 46 + nameLength + extraLength + commentLength;

    if (name.endsWith('/')) continue;
    if (!isSafeEntryName(name)) throw fail(`entry "${name.slice(0, 200)}" has an unsafe path`);
    if (flags & 0x1) throw fail(`entry "${name}" is encrypted`);
    const data = inflateEntry(archive, localOffset, compressedSize, method, limits.maxEntryBytes, name, fail);
    if ((crc32(data) >>> 0) !== expectedCrc) throw fail(`entry "${name}" fails its CRC check`);
    total += data.length;
    if (total > limits.maxTotalBytes) throw fail(`more than ${limits.maxTotalBytes} bytes uncompressed`);
    entries.push({ name, data });
  }
  return entries;
}

/** Whether a zip entry name stays inside the directory it is extracted to. */
export function isSafeEntryName(name: string): boolean {
  if (name === '' || name.includes('\0') || name.includes('\\')) return false;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return false;
  return name.split('/').every((part) => part !== '..' && part !== '.');
}

function inflateEntry(
  archive: Buffer,
  localOffset: number,
  compressedSize: number,
  method: number,
  maxBytes: number,
  name: string,
  fail: (message: string) => Error,
): Buffer {
  if (localOffset + 30 > archive.length || archive.readUInt32LE(localOffset) !== LOCAL_SIGNATURE) throw fail(`entry "${name}" has no local header`);
  const start = localOffset + 30 + archive.readUInt16LE(localOffset + 26) + archive.readUInt16LE(localOffset + 28);
  if (start + compressedSize > archive.length) throw fail(`entry "${name}" runs past the end of the archive`);
  const raw = archive.subarray(start, start + compressedSize);
  if (method === 0) {
    if (raw.length > maxBytes) throw fail(`entry "${name}" is larger than ${maxBytes} bytes`);
    return Buffer.from(raw);
  }
  if (method !== 8) throw fail(`entry "${name}" uses compression method ${method} (only stored and deflate are read)`);
  try {
    // maxOutputLength stops a zip bomb while inflating, whatever size the header claims.
    return inflateRawSync(raw, { maxOutputLength: maxBytes });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || (error instanceof RangeError)) throw fail(`entry "${name}" is larger than ${maxBytes} bytes`);
    throw fail(`entry "${name}" cannot be inflated (${(error as Error).message})`);
  }
}

function findEndOfCentralDirectory(archive: Buffer): number {
  // The record is 22 bytes plus a comment of at most 65,535 bytes, at the very end.
  const stop = Math.max(0, archive.length - 22 - 0xffff);
  for (let i = archive.length - 22; i >= stop; i--) {
    if (archive.readUInt32LE(i) === EOCD_SIGNATURE) return i;
  }
  return -1;
}
