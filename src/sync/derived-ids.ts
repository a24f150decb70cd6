import { hash } from 'node:crypto';

/** The variant nibble of an RFC 4122 UUID for each hash nibble: its top two bits become 10. */
const VARIANT = '89ab89ab89ab89ab';

/**
 * Name-based UUIDs (version 5, SHA-1), equal to the uuid package's v5 with the same namespace. A
 * full synchronisation derives one per record it creates; uuid's v5 parses the namespace and
 * encodes the name byte by byte on every call, and even a hash object per call costs several
 * times the one-shot hash of the namespace and name laid out in one reused buffer.
 */
export class DerivedIds {
  private input: Buffer;

  constructor(namespace: string) {
    this.input = Buffer.alloc(256);
    Buffer.from(namespace.replace(/-/g, ''), 'hex').copy(this.input);
  }

  of(name: string): string {
    const length = 16 + Buffer.byteLength(name, 'utf8');
    if (length > this.input.length) {
      const larger = Buffer.alloc(length * 2);
      this.input.copy(larger, 0, 0, 16);
      this.input = larger;
    }
    this.input.write(name, 16, 'utf8');
    const hex = hash('sha1', this.input.subarray(0, length), 'hex');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${VARIANT[parseInt(hex[16]!, 16)]}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
