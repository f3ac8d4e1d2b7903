/**
 * The ids of the runs kept from one results file, to find a repeated id: an open-addressing table of
 * run indexes keyed by a hash of the id, checked against the kept run's own id, so nothing is stored
 * twice. At two million runs a Map of id strings cost more time than reading the lines.
 */
export class RunIds {
  /** Run index + 1 per slot (0: empty). */
  private slots = new Int32Array(1024);
  private hashes = new Int32Array(1024);
  private size = 0;

  /** `idOf(index)` gives the id of a kept run. */
  constructor(private readonly idOf: (index: number) => string) {}

  /** The index of the kept run with this id, if there is one; else records `index` for it. */
  addOrFind(id: string, index: number): number | undefined {
    const hash = hashOf(id);
    const mask = this.slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const kept = this.slots[slot]!;
      if (kept === 0) {
        this.slots[slot] = index + 1;
        this.hashes[slot] = hash;
        if (++this.size * 2 > this.slots.length) this.grow();
        return undefined;
      }
      if (this.hashes[slot] === hash && this.idOf(kept - 1) === id) return kept - 1;
    }
  }

  private grow(): void {
    const { slots, hashes } = this;
    this.slots = new Int32Array(slots.length * 2);
    this.hashes = new Int32Array(slots.length * 2);
    const mask = this.slots.length - 1;
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] === 0) continue;
      let slot = hashes[i]! & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = slots[i]!;
      this.hashes[slot] = hashes[i]!;
    }
  }
}

/** FNV-1a over the UTF-16 code units, then mixed so that linear probing spreads similar ids. */
function hashOf(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x7feb352d);
  return hash ^ (hash >>> 15);
}
