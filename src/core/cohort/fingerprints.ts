/** The table starts at this many slots and doubles past half full. */
const INITIAL_SLOTS = 1 << 16;

const KEY = 1;
const VARIANT = 2;
const SUSPECT = 4;

/**
 * A 53-bit fingerprint of a string (cyrb53: two 32-bit multiply-xor streams). Never 0,
 * which marks an empty slot.
 */
export function fingerprint(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0) || 1;
}

/**
 * The whole-file memory of the duplicate checks in a few bytes per address: the
 * fingerprints of email keys and of canonical mailboxes that differ from their key, in
 * typed arrays (open addressing). A fingerprint met twice, as a key or a canonical form,
 * is a suspect: those rows, and only those, are compared exactly in a second pass (see
 * confirm-pass.ts), so a fingerprint collision costs a little work and never a wrong
 * result.
 */
export class FingerprintTable {
  private slots = new Float64Array(INITIAL_SLOTS);
  private flags = new Uint8Array(INITIAL_SLOTS);
  private used = 0;
  /** How many fingerprints are suspects. */
  suspects = 0;
  /** How many distinct key fingerprints were added. */
  keys = 0;

  /** Records an email key. */
  addKey(key: string): void {
    const i = this.slot(fingerprint(key));
    const before = this.flags[i] ?? 0;
    if ((before & KEY) === 0) this.keys++;
    this.mark(i, before, KEY);
  }

  /** Records a canonical mailbox that differs from its row's key. */
  addVariant(canonical: string): void {
    const i = this.slot(fingerprint(canonical));
    this.mark(i, this.flags[i] ?? 0, VARIANT);
  }

  /** Whether the text's fingerprint was met more than once. */
  isSuspect(text: string): boolean {
    return ((this.flags[this.find(fingerprint(text))] ?? 0) & SUSPECT) !== 0;
  }

  private mark(i: number, before: number, kind: number): void {
    if (before !== 0 && (before & SUSPECT) === 0) {
      this.flags[i] = before | kind | SUSPECT;
      this.suspects++;
    } else {
      this.flags[i] = before | kind;
    }
  }

  /** The slot of `fp`, taken for it if absent (growing the table first when needed). */
  private slot(fp: number): number {
    if ((this.used + 1) * 2 > this.slots.length) this.grow();
    const i = this.find(fp);
    if (this.slots[i] === 0) {
      this.slots[i] = fp;
      this.used++;
    }
    return i;
  }

  /** The slot holding `fp`, or the empty slot where it would go. */
  private find(fp: number): number {
    const mask = this.slots.length - 1;
    let i = (fp ^ (fp / 4294967296)) & mask;
    while (this.slots[i] !== 0 && this.slots[i] !== fp) i = (i + 1) & mask;
    return i;
  }

  private grow(): void {
    const { slots, flags } = this;
    this.slots = new Float64Array(slots.length * 2);
    this.flags = new Uint8Array(slots.length * 2);
    for (let j = 0; j < slots.length; j++) {
      const fp = slots[j] ?? 0;
      if (fp === 0) continue;
      const i = this.find(fp);
      this.slots[i] = fp;
      this.flags[i] = flags[j] ?? 0;
    }
  }
}
