import { createContext, useContext } from 'react';
import type { SchemaFeatures } from '../api/schema-features';
import { grants, readTokenClaims, type OperatorRole, type TokenClaims } from '../api/token-roles';
import { requiredRole } from '../api/required-roles';

const STORAGE_KEY = 'erp-crm-console.token';

/** The token lives as long as the browser tab, never in a URL. */
export const storedToken = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const storeToken = (token: string | null): void => (token ? sessionStorage.setItem(STORAGE_KEY, token) : sessionStorage.removeItem(STORAGE_KEY));

export interface Session {
  readonly token: string;
  readonly claims: TokenClaims;
  readonly features: SchemaFeatures;
  signOut(): void;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside a signed-in console');
  return session;
}

/** Whether the signed-in user's roles allow an operation (and so whether to show its button). */
export function useCan(): (operation: string) => boolean {
  const { claims } = useSession();
  return (operation) => grants(claims.roles, requiredRole(operation));
}

export const claimsOf = (token: string): TokenClaims | null => readTokenClaims(token);
export type { OperatorRole };
