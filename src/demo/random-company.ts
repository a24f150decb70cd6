import { hash } from 'node:crypto';
import { Faker, base, en } from '@faker-js/faker';

/** Every demo timestamp is an offset from this instant, never from the clock, so runs are reproducible. */
export const DEMO_BASE_DATE = new Date('2026-01-01T00:00:00Z');

const SECOND_MS = 1_000;
const DAY_MS = 86_400_000;

/** Random streams of one seed; each part of the company draws from its own so parts don't shift each other. */
export enum DemoStream {
  REFERENCE = 1,
  CATALOG = 2,
  CUSTOMERS = 3,
}

/**
 * A faker seeded by the demo seed and a stream position. Customer chunks and catalogue batches are
 * reseeded at their start, so what one of them contains depends only on the seed and its position.
 */
export class DemoRandom {
  readonly faker = new Faker({ locale: [en, base] });

  constructor(private readonly seed: number) {}

  reseed(stream: DemoStream, position = 0): this {
    this.faker.seed([this.seed, stream, position]);
    return this;
  }

  chance(probability: number): boolean {
    return this.faker.number.float() < probability;
  }

  int(min: number, max: number): number {
    return this.faker.number.int({ min, max });
  }

  pick<T>(values: readonly T[]): T {
    if (values.length === 0) throw new Error('pick from an empty list');
    return values[this.faker.number.int(values.length - 1)]!;
  }

  /** One of the values, each as likely as its weight; a weight of 0 rules a value out. */
  weighted<T>(choices: readonly (readonly [T, number])[]): T {
    return this.faker.helpers.weightedArrayElement(choices.filter(([, weight]) => weight > 0).map(([value, weight]) => ({ value, weight })));
  }

  /** A money amount with two decimals. */
  amount(min: number, max: number): number {
    return roundAmount(this.faker.number.float({ min, max }));
  }

  /** An instant between `minDays` and `maxDays` before the base date, to the second. */
  daysBeforeBase(minDays: number, maxDays: number): Date {
    const seconds = this.int(minDays * 86_400, maxDays * 86_400);
    return new Date(DEMO_BASE_DATE.getTime() - seconds * SECOND_MS);
  }

  /** An instant `minSeconds`–`maxSeconds` after `from`. */
  secondsAfter(from: Date, minSeconds: number, maxSeconds: number): Date {
    return new Date(from.getTime() + this.int(minSeconds, maxSeconds) * SECOND_MS);
  }

  daysAfter(from: Date, minDays: number, maxDays: number): Date {
    return this.secondsAfter(from, minDays * 86_400, maxDays * 86_400);
  }
}

export function roundAmount(value: number): number {
  return Math.round(value * 100) / 100;
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * DAY_MS);
}

/** YYYY-MM-DD, the form PostgreSQL date columns take and give back. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

// RFC 4122 name-based UUIDs: the URL namespace, then a namespace of the seed inside it.
const URL_NAMESPACE = '6ba7b811-9dad-11d1-80b4-00c04fd430c8';

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ''), 'hex');
}

/**
 * Deterministic record keys: the version-5 UUID of "table/key" in a namespace derived from the
 * seed. A record's id is then a function of its business key, so a record generated in one chunk
 * can be referenced from another without remembering anything.
 */
export class DemoIds {
  private readonly buffer = Buffer.alloc(16 + 512);

  constructor(seed: number) {
    const namespace = nameBasedUuid(uuidBytes(URL_NAMESPACE), `https://erp-crm-gateway.example/demo/${seed}`);
    uuidBytes(namespace).copy(this.buffer, 0);
  }

  of(table: string, key: string | number): string {
    const length = this.buffer.write(`${table}/${key}`, 16, 'utf8');
    return formatV5(hash('sha1', this.buffer.subarray(0, 16 + length), 'hex'));
  }
}

function nameBasedUuid(namespace: Buffer, name: string): string {
  return formatV5(hash('sha1', Buffer.concat([namespace, Buffer.from(name, 'utf8')]), 'hex'));
}

function formatV5(sha1Hex: string): string {
  const variant = ((parseInt(sha1Hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${sha1Hex.slice(0, 8)}-${sha1Hex.slice(8, 12)}-5${sha1Hex.slice(13, 16)}-` + `${variant}${sha1Hex.slice(17, 20)}-${sha1Hex.slice(20, 32)}`;
}
