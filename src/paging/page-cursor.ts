import { badInput } from '../errors/domain-error';

/**
 * The one cursor of every paged list: the values that order the page's last row, opaque to the
 * client (base64url of a JSON array of strings).
 */
export function encodeCursor(...values: readonly string[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/**
 * The ordering values a cursor holds: `count` strings that `valid` accepts. Anything else is
 * BAD_USER_INPUT, as a client may only send back what it was given.
 */
export function decodeCursor(cursor: string, count: number, valid: (values: readonly string[]) => boolean = () => true): string[] {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === count && value.every((part) => typeof part === 'string') && valid(value as string[])) return value as string[];
  } catch {
    // falls through to the error below
  }
  throw badInput(`"${cursor}" is not a cursor issued by this gateway`, { argument: 'after' });
}

export const isUuid = (value: string): boolean => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);

export const isTime = (value: string): boolean => !Number.isNaN(Date.parse(value));
