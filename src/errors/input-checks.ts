import { badInput } from './domain-error';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** What a message may quote of a client's value: enough to recognise it, never all of it. */
const QUOTED_LENGTH = 40;

export const isUuid = (value: unknown): value is string => typeof value === 'string' && UUID.test(value);

/** A client's value quoted in a message, cut to a recognisable prefix. */
export function quoted(value: string): string {
  return JSON.stringify(value.length > QUOTED_LENGTH ? `${value.slice(0, QUOTED_LENGTH)}…` : value);
}

/** Refuses, before any SQL, an id the store keys as a uuid. */
export function requireUuid(value: string, argument: string, what = 'id'): string {
  if (!isUuid(value)) throw badInput(`${quoted(value)} is not a valid ${what}`, { argument });
  return value;
}

/** PostgreSQL's text cannot hold NUL, and no value the gateway issues contains control characters. */
// eslint-disable-next-line no-control-regex -- control characters are what it looks for
export const isPlainText = (value: string): boolean => !/[\u0000-\u001f]/.test(value);

export const badCursor = (cursor: string) => badInput(`${quoted(cursor)} is not a cursor issued by this gateway`, { argument: 'after' });

/**
 * Where a client's value (a variable: strings, arrays, objects) holds a NUL byte, as a path from
 * `root`; null when nowhere. PostgreSQL's text and jsonb cannot hold NUL, so every string the
 * gateway is given is checked here once, at the edge, rather than argument by argument.
 * Iterative: a hostile value may nest deeper than the call stack.
 */
export function nulBytePath(value: unknown, root: string): string | null {
  const pending: Place[] = [{ value, within: null, key: root }];
  for (let place = pending.pop(); place; place = pending.pop()) {
    const current = place.value;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return pathTo(place);
    } else if (Array.isArray(current)) {
      const within = place;
      current.forEach((item, index) => pending.push({ value: item, within, key: index }));
    } else if (current !== null && typeof current === 'object') {
      for (const key of Object.keys(current)) {
        if (key.includes('\u0000')) return pathTo(place);
        pending.push({ value: (current as Record<string, unknown>)[key], within: place, key });
      }
    }
  }
  return null;
}

/** A value met on the walk, with where it is; its path is written only for the one holding a NUL byte (a batch of 1,000 references wrote 3,000). */
interface Place {
  readonly value: unknown;
  readonly within: Place | null;
  /** The root's name, an array index or an object key. */
  readonly key: string | number;
}

function pathTo(place: Place): string {
  const steps: string[] = [];
  for (let at: Place | null = place; at; at = at.within) steps.push(at.within === null ? String(at.key) : typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`);
  return steps.reverse().join('');
}

export const nulByteRefusal = (where: string) => badInput(`${where} holds a NUL byte, which no text the gateway stores can hold`, { argument: where });
