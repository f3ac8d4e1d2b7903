/**
 * The ids of the runs kept from one results file, to find a repeated id: an open-addressing table of
 * run indexes keyed by a hash of the id, checked against the kept run's own id, so nothing is stored
 * twice. At two million runs a Map of id strings cost more time than reading the lines.
 */
export class RunIds {
  /**
   * Two Int32 per slot, side by side so that a probe touches one cache line: the run index + 1 (0: empty)
   * and the id's hash. At two million runs the table is 32 MB, and each probe a likely cache miss.
   */
  private slots = new Int32Array(2 * 1024);
  private size = 0;

  /** `idOf(index)` gives the id of a kept run. */
  constructor(private readonly idOf: (index: number) => string) {}

  /** The index of the kept run with this id, if there is one; else records `index` for it. */
  addOrFind(id: string, index: number): number | undefined {
    this.wanted = id;
    return this.addOrFindHash(hashOf(id), index, this.sameAsWanted);
  }

  private wanted = '';
  private readonly sameAsWanted = (kept: number) => this.idOf(kept) === this.wanted;

  /**
   * addOrFind for an id known by its hash (`hashOf`, or `hashOfAscii` of its bytes) and a test of
   * whether the kept run `kept` has it: a reader of bytes needs no id string.
   */
  addOrFindHash(hash: number, index: number, same: (kept: number) => boolean): number | undefined {
    const { slots } = this;
    const mask = (slots.length >> 1) - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const kept = slots[2 * slot]!;
      if (kept === 0) {
        slots[2 * slot] = index + 1;
        slots[2 * slot + 1] = hash;
        if (++this.size * 4 > slots.length) this.grow();
        return undefined;
      }
      if (slots[2 * slot + 1] === hash && same(kept - 1)) return kept - 1;
    }
  }

  private grow(): void {
    const old = this.slots;
    const slots = (this.slots = new Int32Array(old.length * 2));
    const mask = (slots.length >> 1) - 1;
    for (let i = 0; i < old.length; i += 2) {
      if (old[i] === 0) continue;
      let slot = old[i + 1]! & mask;
      while (slots[2 * slot] !== 0) slot = (slot + 1) & mask;
      slots[2 * slot] = old[i]!;
      slots[2 * slot + 1] = old[i + 1]!;
    }
  }
}

/** FNV-1a over the UTF-16 code units, then mixed so that linear probing spreads similar ids. */
export function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return mixed(hash);
}

/** hashOf of the ASCII text in bytes[from, to) (one byte per code unit), without the string. */
export function hashOfAscii(bytes: Uint8Array, from: number, to: number): number {
  let hash = 0x811c9dc5;
  for (let i = from; i < to; i++) hash = Math.imul(hash ^ bytes[i]!, 0x01000193);
  return mixed(hash);
}

function mixed(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x7feb352d);
  return hash ^ (hash >>> 15);
}
