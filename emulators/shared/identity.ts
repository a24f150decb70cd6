import { randomBytes } from 'node:crypto';

/** An app registration the emulated identity platform knows, and the application user it acts as. */
export interface RegisteredClient {
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: string;
  /** The product's user id of this application user (Dataverse systemuserid, BC user security id). */
  readonly userId: string;
}

export interface Caller {
  readonly userId: string;
  readonly clientId: string;
  readonly token: string;
}

export interface TokenAnswer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * The client credentials grant of the Microsoft identity platform's v2.0 token endpoint
 * (`POST /{tenant}/oauth2/v2.0/token`), issuing opaque bearer tokens for one resource.
 */
export class IdentityEmulator {
  private readonly tokens = new Map<string, { caller: Omit<Caller, 'token'>; expiresAt: number }>();
  issued = 0;

  constructor(
    private readonly clients: RegisteredClient[],
    /** The API's URL: tokens are issued for scope `{resource}/.default`. */
    public resource: string,
    public tokenLifetimeSeconds = 3_599,
  ) {}

  register(client: RegisteredClient): void {
    this.clients.push(client);
  }

  issue(tenantId: string, form: URLSearchParams): TokenAnswer {
    const refuse = (status: number, error: string, description: string): TokenAnswer => ({ status, body: { error, error_description: description } });
    if (form.get('grant_type') !== 'client_credentials') return refuse(400, 'unsupported_grant_type', 'only client_credentials is emulated');
    const client = this.clients.find((c) => c.tenantId === tenantId && c.clientId === form.get('client_id'));
    if (!client) return refuse(400, 'unauthorized_client', `application ${form.get('client_id')} is not registered in tenant ${tenantId}`);
    if (client.clientSecret !== form.get('client_secret')) return refuse(401, 'invalid_client', 'invalid client secret');
    if (form.get('scope') !== `${this.resource}/.default`) return refuse(400, 'invalid_scope', `scope must be ${this.resource}/.default`);
    const token = randomBytes(24).toString('base64url');
    this.tokens.set(token, { caller: { userId: client.userId, clientId: client.clientId }, expiresAt: Date.now() + this.tokenLifetimeSeconds * 1000 });
    this.issued += 1;
    return { status: 200, body: { token_type: 'Bearer', expires_in: this.tokenLifetimeSeconds, ext_expires_in: this.tokenLifetimeSeconds, access_token: token } };
  }

  /** The caller a bearer token stands for, or why it is refused. */
  authenticate(authorization: string | undefined): Caller | 'missing' | 'expired' {
    const token = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1];
    const entry = token ? this.tokens.get(token) : undefined;
    if (!token || !entry) return 'missing';
    if (entry.expiresAt <= Date.now()) {
      this.tokens.delete(token);
      return 'expired';
    }
    return { ...entry.caller, token };
  }

  /** Ends one token's life early (a fault), or every token's. */
  expire(token?: string): void {
    if (token) this.tokens.delete(token);
    else this.tokens.clear();
  }
}
