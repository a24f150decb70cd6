import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { unauthenticated } from '../errors/domain-error';
import { isRole, Role } from './role';

export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
}

/** Verifies and issues the HS256 bearer tokens; roles come from the `roles` claim. */
export class TokenService {
  constructor(private readonly secret: string) {}

  static generateSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  issue(subject: string, roles: readonly Role[], expiresInSeconds = 12 * 3600): string {
    return jwt.sign({ roles: [...roles] }, this.secret, { algorithm: 'HS256', subject, expiresIn: expiresInSeconds });
  }

  /** One token per role, for subjects `<prefix>-<role>` (the demo's printed tokens, the tests'). */
  issueOnePerRole(prefix: string): Record<Role, string> {
    return Object.fromEntries(Object.values(Role).map((role) => [role, this.issue(`${prefix}-${role}`, [role])])) as Record<Role, string>;
  }

  /** Reads an `Authorization` value; no value means an anonymous request (null). */
  authenticate(authorization: unknown): Principal | null {
    if (authorization === undefined || authorization === null || authorization === '') return null;
    if (typeof authorization !== 'string') throw unauthenticated('The authorization value must be a string "Bearer <token>"');
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    if (!match) throw unauthenticated('The authorization value must be "Bearer <token>"');
    try {
      const payload = jwt.verify(match[1]!, this.secret, { algorithms: ['HS256'] });
      if (typeof payload === 'string') throw unauthenticated('The token is not valid');
      const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
      return { subject: payload.sub ?? 'unknown', roles };
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw unauthenticated('The token has expired');
      throw unauthenticated('The token is not valid');
    }
  }
}
