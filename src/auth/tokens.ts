import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { LRUCache } from 'lru-cache';
import { unauthenticated } from '../errors/domain-error';
import { isRole, Role } from './role';

export interface Principal {
  readonly subject: string;
  readonly roles: readonly Role[];
  /** When the token stops being accepted (ms since the epoch): subscriptions end then. */
  readonly expiresAt: number;
}

export interface TokenPolicy {
  readonly issuer: string | null;
  readonly audience: string | null;
  readonly maxLifetimeSeconds: number;
}

export const DEFAULT_TOKEN_POLICY: TokenPolicy = { issuer: null, audience: null, maxLifetimeSeconds: 24 * 3600 };

/** Verified tokens kept; a client sends the same token with every request until it expires. */
const CACHED_TOKENS = 10_000;

/**
 * Verifies and issues the HS256 bearer tokens; roles come from the `roles` claim. A token must
 * expire (`exp`) within the policy's lifetime and name the configured issuer and audience.
 */
export class TokenService {
  private readonly key: KeyObject;
  private readonly verified = new LRUCache<string, Principal>({ max: CACHED_TOKENS });

  constructor(
    secret: string,
    private readonly policy: TokenPolicy = DEFAULT_TOKEN_POLICY,
  ) {
    // A secret KeyObject with one algorithm: jsonwebtoken never tries it as a public key.
    this.key = createSecretKey(Buffer.from(secret, 'utf8'));
  }

  static generateSecret(): string {
    return randomBytes(32).toString('base64url');
  }

  issue(subject: string, roles: readonly Role[], expiresInSeconds = Math.min(12 * 3600, this.policy.maxLifetimeSeconds)): string {
    return jwt.sign({ roles: [...roles] }, this.key, {
      algorithm: 'HS256',
      subject,
      expiresIn: expiresInSeconds,
      ...(this.policy.issuer ? { issuer: this.policy.issuer } : {}),
      ...(this.policy.audience ? { audience: this.policy.audience } : {}),
    });
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
    const token = match[1]!;
    const known = this.verified.get(token);
    if (known && known.expiresAt > Date.now()) return known;
    const principal = this.verify(token);
    this.verified.set(token, principal);
    return principal;
  }

  private verify(token: string): Principal {
    let payload: string | jwt.JwtPayload;
    try {
      payload = jwt.verify(token, this.key, {
        algorithms: ['HS256'],
        ...(this.policy.issuer ? { issuer: this.policy.issuer } : {}),
        ...(this.policy.audience ? { audience: this.policy.audience } : {}),
      });
    } catch (error) {
      if (error instanceof jwt.TokenExpiredError) throw unauthenticated('The token has expired');
      if (error instanceof jwt.JsonWebTokenError && /^jwt (issuer|audience) invalid/.test(error.message)) {
        throw unauthenticated(`The token's ${error.message.includes('issuer') ? 'issuer' : 'audience'} is not accepted here`);
      }
      throw unauthenticated('The token is not valid');
    }
    if (typeof payload === 'string') throw unauthenticated('The token is not valid');
    if (typeof payload.exp !== 'number') throw unauthenticated('The token has no expiry (exp); tokens must expire');
    const issuedAt = typeof payload.iat === 'number' ? payload.iat : Date.now() / 1000;
    if (payload.exp - issuedAt > this.policy.maxLifetimeSeconds) {
      throw unauthenticated(`The token lives longer than the ${this.policy.maxLifetimeSeconds} s allowed`);
    }
    const roles = Array.isArray(payload.roles) ? payload.roles.filter(isRole) : [];
    return { subject: payload.sub ?? 'unknown', roles, expiresAt: payload.exp * 1000 };
  }
}
