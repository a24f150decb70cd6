import { BREAK, visit, type DocumentNode, type GraphQLError } from 'graphql';
import { Role } from '../../auth/role';
import type { Principal } from '../../auth/tokens';
import { ErrorCode } from '../../errors/error-codes';
import { refusedOperation } from './operation-limits';

/**
 * What a caller may learn about the schema itself: in production only administrators may
 * introspect it or get "Did you mean …?" hints in error messages; in development everyone may.
 */
export function schemaVisibleTo(principal: Principal | null, production: boolean): boolean {
  return !production || (principal?.roles.includes(Role.ADMIN) ?? false);
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
    ? refusedOperation(ErrorCode.FORBIDDEN, 'Introspection needs the admin role in production', 403)
    : refusedOperation(ErrorCode.UNAUTHENTICATED, 'Introspection needs an administrator\'s token in production', 401);
}
