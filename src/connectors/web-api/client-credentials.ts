import type { Secret } from '../../config/secret';
import { WebApiError } from './web-api-error';

/** An application registration in Microsoft Entra ID allowed to call one product's API. */
export interface ClientCredentials {
  /** `https://login.microsoftonline.com` in production; the emulator's address in tests. */
  readonly authorityUrl: string;
  readonly tenantId: string;
  readonly clientId: string;
  readonly clientSecret: Secret;
  /** The product's resource with `/.default` (client credentials take the app's granted permissions). */
  readonly scope: string;
}

export interface AccessTokens {
  /** A token valid for at least the refresh margin. */
  token(): Promise<string>;
  /** Forgets `token` after the API refused it (expired or revoked early). */
  invalidate(token: string): void;
}

interface TokenAnswer {
  readonly access_token?: string;
  readonly expires_in?: number | string;
  readonly error?: string;
  readonly error_description?: string;
}

/**
 * OAuth 2.0 client credentials grant against the Microsoft identity platform's v2.0 token endpoint.
 * One token is cached and shared by all requests; it is replaced `refreshMarginMs` before it
 * expires, by one request however many callers ask at once. MSAL Node is not used because it
 * accepts only https authorities, which rules out the local emulators.
 */
export class ClientCredentialsTokens implements AccessTokens {
  private current: { token: string; expiresAt: number } | null = null;
  private pending: Promise<string> | null = null;
  /** Tokens fetched so far: tests and metrics read it. */
  issued = 0;

  constructor(
    private readonly credentials: ClientCredentials,
    private readonly options: { refreshMarginMs?: number; timeoutMs?: number } = {},
  ) {}

  token(): Promise<string> {
    const margin = this.options.refreshMarginMs ?? 5 * 60_000;
    if (this.current && this.current.expiresAt - margin > Date.now()) return Promise.resolve(this.current.token);
    this.pending ??= this.fetchToken().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  invalidate(token: string): void {
    if (this.current?.token === token) this.current = null;
  }

  private async fetchToken(): Promise<string> {
    const { authorityUrl, tenantId, clientId, clientSecret, scope } = this.credentials;
    const url = `${authorityUrl.replace(/\/$/, '')}/${encodeURIComponent(tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret.reveal(), scope });
    let response: Response;
    try {
      response = await fetch(url, { method: 'POST', body, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (error) {
      throw new WebApiError('connection', `token endpoint unreachable: ${(error as Error).message}`);
    }
    const answer = (await response.json().catch(() => ({}))) as TokenAnswer;
    if (!response.ok || !answer.access_token) {
      const reason = answer.error_description ?? answer.error ?? `HTTP ${response.status}`;
      const kind = response.status >= 500 ? 'connection' : 'authentication';
      throw new WebApiError(kind, `token request refused: ${reason}`, { status: response.status, code: answer.error });
    }
    const lifetimeMs = Number(answer.expires_in ?? 0) * 1000;
    this.current = { token: answer.access_token, expiresAt: Date.now() + lifetimeMs };
    this.issued += 1;
    return answer.access_token;
  }
}
