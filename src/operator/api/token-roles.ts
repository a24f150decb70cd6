/** Roles from least to most privileged, as the gateway ranks them. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type OperatorRole = (typeof ROLES)[number];

export interface TokenClaims {
  readonly subject: string | null;
  readonly roles: readonly OperatorRole[];
  /** Seconds since the epoch, when the token says. */
  readonly expiresAt: number | null;
}

/**
 * What a bearer token claims, read without checking its signature: only to decide which buttons
 * to show and what to say; the gateway checks every request. Null when it is no JWT.
 */
export function readTokenClaims(token: string): TokenClaims | null {
  const payload = token.trim().split('.')[1];
  if (!payload) return null;
  try {
    const json = JSON.parse(atob(payload.replace(/-/g, '+').replace(/_/g, '/'))) as { sub?: unknown; roles?: unknown; exp?: unknown };
    const roles = Array.isArray(json.roles) ? json.roles.filter((role): role is OperatorRole => (ROLES as readonly unknown[]).includes(role)) : [];
    return { subject: typeof json.sub === 'string' ? json.sub : null, roles, expiresAt: typeof json.exp === 'number' ? json.exp : null };
  } catch {
    return null;
  }
}

/** Whether the roles include `needed` or a role above it. */
export function grants(roles: readonly OperatorRole[], needed: OperatorRole): boolean {
  return roles.some((role) => ROLES.indexOf(role) >= ROLES.indexOf(needed));
}

/** The highest of the roles, for display. */
export const highestRole = (roles: readonly OperatorRole[]): OperatorRole | null => [...roles].sort((a, b) => ROLES.indexOf(b) - ROLES.indexOf(a))[0] ?? null;
