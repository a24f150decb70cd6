import { createHash } from 'node:crypto';

const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/**
 * Name-based UUIDs (version 5, SHA-1), equal to the uuid package's v5 with the same namespace. A
 * full synchronisation derives one per record it creates; uuid's v5 parses the namespace and
 * encodes the name byte by byte on every call, which costs several times the hash itself.
 */
export class DerivedIds {
  private readonly namespace: Buffer;

  constructor(namespace: string) {
    this.namespace = Buffer.from(namespace.replace(/-/g, ''), 'hex');
  }

  of(name: string): string {
    const bytes = createHash('sha1').update(this.namespace).update(name, 'utf8').digest();
    bytes[6] = (bytes[6]! & 0x0f) | 0x50;
    bytes[8] = (bytes[8]! & 0x3f) | 0x80;
    let id = '';
    for (let index = 0; index < 16; index += 1) id += (index === 4 || index === 6 || index === 8 || index === 10 ? '-' : '') + HEX[bytes[index]!];
    return id;
  }
}
