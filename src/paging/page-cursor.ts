import { badCursor, isPlainText } from '../errors/input-checks';

/**
 * The one cursor of every paged list: the values that order the page's last row, opaque to the
 * client (base64url of a JSON array of strings).
 */
export function encodeCursor(...values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The ordering values a cursor holds: `count` strings of plain text that `valid` accepts. Anything
 * else is BAD_USER_INPUT before it reaches a statement, as a client may only send back what it was given.
 */
export function decodeCursor(cursor: string, count: number, valid: (values: readonly string[]) => boolean = () => true): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === count && value.every((part) => typeof part === 'string' && isPlainText(part)) && valid(value as string[]))
      return value as string[];
  } catch {
    // falls through to the error below
  }
  throw badCursor(cursor);
}

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO time PostgreSQL's timestamptz can hold (V8 alone would read "ORD-00006" as June 2001). */
export const isTime = (value: string): boolean => {
  if (!ISO_TIME.test(value)) return false;
  const at = new Date(value);
  return !Number.isNaN(at.getTime()) && at.getUTCFullYear() >= 1 && at.getUTCFullYear() <= 9999;
};
