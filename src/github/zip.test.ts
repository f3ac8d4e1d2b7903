import { posix, win32 } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { writeZip } from '../../tests/fake-github/zip-writer.js';
import { isSafeEntryName, readZip } from './zip.js';

const LIMITS = { maxEntries: 8, maxEntryBytes: 1024, maxTotalBytes: 2048 };

describe('readZip', () => {
  it('round-trips stored and deflated entries', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z0-9]{1,8}(\/[a-z0-9]{1,8})?\.jsonl$/), data: fc.string({ maxLength: 200 }), store: fc.boolean() }), { maxLength: 6, selector: (e) => e.name }),
        (entries) => {
          const zip = writeZip(entries.map((e) => ({ name: e.name, data: e.data, method: e.store ? 'store' : 'deflate' })));
          const read = readZip(zip, LIMITS, 'a.zip');
          expect(read.map((e) => [e.name, e.data.toString('utf8')])).toEqual(entries.map((e) => [e.name, e.data]));
        },
      ),
    );
  });

  it('refuses zip-slip names before extracting anything', () => {
    for (const name of ['../evil.jsonl', 'a/../../evil', '/etc/passwd', 'C:/x', 'a\\..\\b']) {
      expect(() => readZip(writeZip([{ name, data: 'x' }]), LIMITS, 'a.zip')).toThrow(/unsafe path/);
    }
  });

  it('stops a zip bomb while inflating, whatever the header claims', () => {
    const bomb = writeZip([{ name: 'head.results.jsonl', data: Buffer.alloc(1_000_000) }]);
    expect(bomb.length).toBeLessThan(5_000);
    expect(() => readZip(bomb, LIMITS, 'a.zip')).toThrow(/larger than 1024 bytes/);
  });

  it('caps the entry count and the total size', () => {
    const many = writeZip(Array.from({ length: 9 }, (_, i) => ({ name: `f${i}`, data: 'x' })));
    expect(() => readZip(many, LIMITS, 'a.zip')).toThrow(/9 entries, more than the 8 allowed/);
    const big = writeZip(Array.from({ length: 3 }, (_, i) => ({ name: `f${i}`, data: Buffer.alloc(1000) })));
    expect(() => readZip(big, LIMITS, 'a.zip')).toThrow(/more than 2048 bytes uncompressed/);
  });

  it('rejects corrupt data and non-zips with the archive named', () => {
    expect(() => readZip(Buffer.from('not a zip at all, just text'), LIMITS, 'shard-1.zip')).toThrow(/shard-1\.zip: not a zip archive/);
    const zip = writeZip([{ name: 'a', data: 'hello world', method: 'store' }]);
    zip[30 + 1 + 2] = zip[30 + 1 + 2]! ^ 0xff;
    expect(() => readZip(zip, LIMITS, 'a.zip')).toThrow(/CRC/);
  });
});

describe('isSafeEntryName', () => {
  it('accepts a name only if extracting it under a root stays inside that root', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b1', '..', '.', '', '/', '\\', 'C:', 'x.jsonl'), { minLength: 1, maxLength: 6 }), (parts) => {
        const name = parts.join('');
        if (isSafeEntryName(name)) {
          expect(posix.resolve('/root', name).startsWith('/root/')).toBe(true);
          expect(win32.resolve('C:\\root', name).startsWith('C:\\root\\')).toBe(true);
        }
      }),
    );
    expect(isSafeEntryName('results/head.results.jsonl')).toBe(true);
  });
});
