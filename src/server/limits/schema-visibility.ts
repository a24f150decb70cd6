import { BREAK, visit, type DocumentNode, type GraphQLError } from 'graphql';
import type { Principal } from '../../auth/tokens';
import { ErrorCode } from '../../errors/error-codes';
import { refusedOperation } from './operation-limits';

/**
 * What a caller may learn about the schema itself: in production, callers holding a role may
 * introspect it and get "Did you mean …?" hints in error messages (the operator console and the
 * erp-crm CLI read the schema to know what the gateway offers), anonymous callers and role-less
 * tokens may not; in development everyone may.
 */
export function schemaVisibleTo(principal: Principal | null, production: boolean): boolean {
  return !production || (principal?.roles.length ?? 0) > 0;
}

const introspecting = new WeakMap<DocumentNode, boolean>();

/** Whether a document asks for `__schema` or `__type` (`__typename` is not introspection). */
export function selectsIntrospection(document: DocumentNode): boolean {
  let found = introspecting.get(document);
  if (found === undefined) {
    found = false;
    visit(document, {
      Field(node) {
        if (node.name.value === '__schema' || node.name.value === '__type') {
          found = true;
          return BREAK;
        }
        return undefined;
      },
    });
    introspecting.set(document, found);
  }
  return found;
}

/** graphql-js's suggestions ("Did you mean "customers"?") name fields and types a caller may not see. */
export function withoutSuggestions(message: string): string {
  return message.replace(/\s*Did you mean [^?]*\?/g, '');
}

export function introspectionRefusal(principal: Principal | null): GraphQLError {
  return principal
    ? refusedOperation(ErrorCode.FORBIDDEN, 'Introspection needs a token with a role in production', 403)
    : refusedOperation(ErrorCode.UNAUTHENTICATED, 'Introspection needs a token in production', 401);
}
