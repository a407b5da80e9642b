/**
 * The blocking index of the in-memory resolver: blocking key -> the records that carry it.
 *
 * A million records carry some six million key occurrences. Keeping them as a
 * `Map<string, number[]>` holds millions of key strings and small arrays on the heap; here a key
 * is reduced to a 64-bit hash (two independent 32-bit halves, a collision between two keys of one
 * data set is a one-in-a-million event and only adds candidates, which scoring then rejects),
 * found by open addressing in a typed array, and each block is a linked list of postings in a
 * typed array. Each table slot, block and posting keeps its fields side by side (one cache miss
 * per step on a table of hundreds of megabytes), and nothing is allocated per record once the
 * arrays have grown.
 */
export class BlockIndex {
  /** Slots of four: hash half 1, hash half 2, block + 1 (0 = empty slot), unused. */
  private table = new Int32Array(4 << 18);
  private mask = (1 << 18) - 1;
  private blocks = 0;
  /** Per block: newest posting (-1: none) and number of postings. */
  private block = new Int32Array(2 << 16);
  /** Per posting: record and the next (older) posting of the same block, -1 at the end. */
  private posting = new Int32Array(2 << 18);
  private postings = 0;
  private h1 = 0;
  private h2 = 0;

  /** Distinct keys seen. */
  get size(): number {
    return this.blocks;
  }

  private hash(key: string): void {
    let h1 = 0x811c9dc5;
    let h2 = 0x9747b28c;
    for (let i = 0; i < key.length; i++) {
      const c = key.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    this.h1 = h1 | 0;
    this.h2 = (h2 ^ (h2 >>> 13)) | 0;
  }

  /** The slot of the current hash: its own, or the empty one where it would go. */
  private slot(): number {
    const { h1, h2, table, mask } = this;
    for (let slot = h1 & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 4;
      if (table[at + 2] === 0 || (table[at] === h1 && table[at + 1] === h2)) return slot;
    }
  }

  /** The block of a key, or -1. */
  find(key: string): number {
    this.hash(key);
    return this.table[this.slot() * 4 + 2] - 1;
  }

  /** Number of records in a block. */
  sizeOf(block: number): number {
    return this.block[block * 2 + 1];
  }

  /** Newest posting of a block (-1: none); walk with `nextPosting`, read with `recordAt`. */
  firstPosting(block: number): number {
    return this.block[block * 2];
  }

  nextPosting(posting: number): number {
    return this.posting[posting * 2 + 1];
  }

  recordAt(posting: number): number {
    return this.posting[posting * 2];
  }

  /** Adds a record to the block of `key` (made if new) unless the block holds more than `max`. */
  add(key: string, record: number, max: number): void {
    this.hash(key);
    const slot = this.slot();
    let b = this.table[slot * 4 + 2] - 1;
    if (b < 0) {
      b = this.blocks++;
      if (b * 2 >= this.block.length) this.block = grow(this.block);
      this.block[b * 2] = -1;
      this.block[b * 2 + 1] = 0;
      this.table[slot * 4] = this.h1;
      this.table[slot * 4 + 1] = this.h2;
      this.table[slot * 4 + 2] = b + 1;
      // keep the table at most half full
      if (this.blocks * 2 > this.mask) this.rehash();
    }
    this.addTo(b, record, max);
  }

  /** Adds a record to a block found with `find`, unless it holds more than `max`. */
  addTo(block: number, record: number, max: number): void {
    if (this.block[block * 2 + 1] > max) return;
    const p = this.postings++;
    if (p * 2 >= this.posting.length) this.posting = grow(this.posting);
    this.posting[p * 2] = record;
    this.posting[p * 2 + 1] = this.block[block * 2];
    this.block[block * 2] = p;
    this.block[block * 2 + 1]++;
  }

  private rehash(): void {
    const old = this.table;
    const slots = (this.mask + 1) * 2;
    this.table = new Int32Array(slots * 4);
    this.mask = slots - 1;
    for (let at = 0; at < old.length; at += 4) {
      if (old[at + 2] === 0) continue;
      let slot = old[at] & this.mask;
      while (this.table[slot * 4 + 2] !== 0) slot = (slot + 1) & this.mask;
      this.table[slot * 4] = old[at];
      this.table[slot * 4 + 1] = old[at + 1];
      this.table[slot * 4 + 2] = old[at + 2];
    }
  }
}

function grow(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}
