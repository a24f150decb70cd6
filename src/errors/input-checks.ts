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
  const pending: Array<[unknown, string]> = [[value, root]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [current, path] = next;
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return path;
    } else if (Array.isArray(current)) {
      current.forEach((item, index) => pending.push([item, `${path}[${index}]`]));
    } else if (current !== null && typeof current === 'object') {
      for (const [key, item] of Object.entries(current)) {
        if (key.includes('\u0000')) return path;
        pending.push([item, `${path}.${key}`]);
      }
    }
  }
  return null;
}

export const nulByteRefusal = (where: string) => badInput(`${where} holds a NUL byte, which no text the gateway stores can hold`, { argument: where });
