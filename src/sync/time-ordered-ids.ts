import { randomFillSync } from 'node:crypto';

const HEX_DIGITS = Buffer.from('0123456789abcdef', 'latin1');
/** Where the 16 bytes of an id start in its text, dashes left out. */
const BYTE_POSITIONS = [0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34];
const IDS_PER_REFILL = 256;

/**
 * Version 7 UUIDs laid out as the uuid package's v7 lays them out (48-bit millisecond time, then a
 * 31-bit sequence that starts at random each millisecond and counts up within it, then random bits),
 * so ids made one after the other sort in that order. uuid's v7 allocates two byte arrays per id;
 * a full synchronisation makes one per record, so these come from one pool of random bytes and one
 * text buffer.
 */
export class TimeOrderedIds {
  private readonly random = Buffer.alloc(16 * IDS_PER_REFILL);
  private used = this.random.length;
  private readonly bytes = Buffer.alloc(16);
  private readonly text = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');
  private msecs = -Infinity;
  private sequence = 0;

  next(): string {
    if (this.used === this.random.length) {
      randomFillSync(this.random);
      this.used = 0;
    }
    const { random } = this;
    const at = this.used;
    this.used += 16;
    const now = Date.now();
    if (now > this.msecs) {
      this.sequence = (random[at + 6]! << 23) | (random[at + 7]! << 16) | (random[at + 8]! << 8) | random[at + 9]!;
      this.msecs = now;
    } else {
      this.sequence = (this.sequence + 1) | 0;
      // The sequence ran out within one millisecond: borrow the next one, as uuid does.
      if (this.sequence === 0) this.msecs += 1;
    }
    const { bytes, msecs, sequence } = this;
    bytes[0] = (msecs / 0x10000000000) & 0xff;
    bytes[1] = (msecs / 0x100000000) & 0xff;
    bytes[2] = (msecs / 0x1000000) & 0xff;
    bytes[3] = (msecs / 0x10000) & 0xff;
    bytes[4] = (msecs / 0x100) & 0xff;
    bytes[5] = msecs & 0xff;
    bytes[6] = 0x70 | ((sequence >>> 28) & 0x0f);
    bytes[7] = (sequence >>> 20) & 0xff;
    bytes[8] = 0x80 | ((sequence >>> 14) & 0x3f);
    bytes[9] = (sequence >>> 6) & 0xff;
    bytes[10] = ((sequence << 2) & 0xff) | (random[at + 10]! & 0x03);
    random.copy(bytes, 11, at + 11, at + 16);
    for (let index = 0; index < 16; index += 1) {
      this.text[BYTE_POSITIONS[index]!] = HEX_DIGITS[bytes[index]! >>> 4]!;
      this.text[BYTE_POSITIONS[index]! + 1] = HEX_DIGITS[bytes[index]! & 0x0f]!;
    }
    return this.text.toString('latin1');
  }
}
