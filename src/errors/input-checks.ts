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
export const isPlainText = (value: string): boolean => !/[\u0000-\u001f]/.test(value);

export const badCursor = (cursor: string) => badInput(`${quoted(cursor)} is not a cursor issued by this gateway`, { argument: 'after' });
