import type { ValidationRule } from 'graphql';
import { nulBytePath, nulByteRefusal } from '../../errors/input-checks';
import { refusal } from './operation-limits';

/** A string literal of the document holding a NUL byte, refused as BAD_USER_INPUT (once per distinct document). */
export const plainTextLiterals: ValidationRule = (context) => ({
  StringValue(node) {
    if (node.value.includes('\u0000')) context.reportError(refusal(nulByteRefusal('A string in the query'), 400, [node]));
  },
});

/** Throws BAD_USER_INPUT when a variable holds a NUL byte anywhere in its value. */
export function assertPlainVariables(variables: Readonly<Record<string, unknown>> | null | undefined): void {
  for (const [name, value] of Object.entries(variables ?? {})) {
    const where = nulBytePath(value, `$${name}`);
    if (where !== null) throw refusal(nulByteRefusal(where));
  }
}
