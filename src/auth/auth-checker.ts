import type { AuthChecker } from 'type-graphql';
import { forbidden, unauthenticated } from '../errors/domain-error';
import type { Caller } from './caller';
import { grants, type Role } from './role';

/** Throws unless the request's principal holds `needed` (or a stronger role). */
export function requireRole(context: Caller, needed: Role): void {
  if (context.authError) throw context.authError;
  if (!context.principal) throw unauthenticated('Sign in: send "Authorization: Bearer <token>"');
  if (!grants(context.principal.roles, needed)) {
    throw forbidden(`This needs the ${needed} role; the token holds ${context.principal.roles.join(', ') || 'no role'}`);
  }
}

export const authChecker: AuthChecker<Caller, Role> = ({ context }, roles) => {
  for (const role of roles) requireRole(context, role);
  return true;
};
