import type { AccessTokens } from './client-credentials';
import type { RequestBudget } from './request-budget';
import { WebApiError } from './web-api-error';

export interface WebRequest {
  readonly method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the API's base URL, or absolute (a next link or delta link the server gave). */
  readonly url: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /**
   * Whether sending it twice does no harm (reads, upserts by key, deletes). A request that is not
   * is never sent again after it may have reached the server: the caller reconciles instead.
   */
  readonly idempotent: boolean;
}

export interface WebResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
}

export interface TransportOptions {
  readonly baseUrl: string;
  readonly tokens: AccessTokens;
  readonly budget: RequestBudget;
  readonly timeoutMs?: number;
  /** Sends of one request after faults (5xx, dropped connections), not counting refusals. */
  readonly maxAttempts?: number;
  /** First back-off after a fault; doubles each time. */
  readonly backoffMs?: number;
}

export interface TransportStats {
  readonly sent: number;
  /** 429 (and 503 with Retry-After) answers. */
  readonly refused: number;
  /** The most times one request was refused in a row. */
  readonly maxRefusalsInARow: number;
  readonly faults: number;
  readonly unauthorised: number;
}

const MAX_REFUSALS = 20;

/** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
export function retryAfterMs(headers: Headers): number | null {
  const raw = headers.get('retry-after');
  if (raw === null) return null;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? null : Math.max(0, date - Date.now());
}

/** How long a refusal (429, or 503 with Retry-After) asks to wait; null for any other answer. */
function refusalWait(response: WebResponse): number | null {
  const wait = retryAfterMs(response.headers);
  if (response.status === 429) return wait ?? 1_000;
  return response.status === 503 ? wait : null;
}

/**
 * HTTP to one product's API for one identity: every request goes through the shared budget,
 * carries a current token, and is sent again when the server refused it (429, or 503 with
 * Retry-After, after waiting as long as it asked), when the token expired early (401), or — only
 * when idempotent — after a fault.
 */
export class WebApiTransport {
  private counters = { sent: 0, refused: 0, maxRefusalsInARow: 0, faults: 0, unauthorised: 0 };

  constructor(private readonly options: TransportOptions) {}

  get baseUrl(): string {
    return this.options.baseUrl;
  }

  stats(): TransportStats {
    return { ...this.counters };
  }

  async send(request: WebRequest): Promise<WebResponse> {
    const maxAttempts = this.options.maxAttempts ?? 5;
    let faults = 0;
    let refusals = 0;
    let reauthorised = false;
    for (;;) {
      const retry = faults + refusals > 0 || reauthorised;
      // The token comes before the budget's slot, so the start the budget counts is when the request leaves.
      const token = await this.token();
      const outcome = await this.options.budget.run(
        async (slot) => {
          const result = await this.attempt(request, token);
          if ('response' in result) {
            const wait = refusalWait(result.response);
            if (wait === null) slot.accepted();
            else slot.refused(wait);
          }
          return result;
        },
        { retry },
      );
      if ('error' in outcome) {
        faults += 1;
        this.counters.faults += 1;
        if (!request.idempotent || faults >= maxAttempts) {
          throw new WebApiError('connection', `${request.method} ${request.url}: ${outcome.error.message}`, { maybeApplied: request.method !== 'GET' });
        }
        await this.backoff(faults);
        continue;
      }
      const { response } = outcome;
      if (refusalWait(response) !== null) {
        refusals += 1;
        this.counters.refused += 1;
        this.counters.maxRefusalsInARow = Math.max(this.counters.maxRefusalsInARow, refusals);
        if (refusals >= MAX_REFUSALS) throw new WebApiError('http', `${request.method} ${request.url}: refused ${refusals} times`, { status: response.status });
        continue;
      }
      if (response.status === 401 && !reauthorised) {
        // The token expired or was revoked before its time: a refused request did not run.
        this.counters.unauthorised += 1;
        this.options.tokens.invalidate(token);
        reauthorised = true;
        continue;
      }
      if (response.status >= 500 && request.idempotent && faults + 1 < maxAttempts) {
        faults += 1;
        this.counters.faults += 1;
        await this.backoff(faults);
        continue;
      }
      return response;
    }
  }

  /** A token, or the fault of not getting one (a request never sent can always be sent again). */
  private async token(): Promise<string> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.options.tokens.token();
      } catch (error) {
        if ((error instanceof WebApiError && error.kind === 'authentication') || attempt >= (this.options.maxAttempts ?? 5)) throw error;
        await this.backoff(attempt);
      }
    }
  }

  private async attempt(request: WebRequest, token: string): Promise<{ response: WebResponse } | { error: Error }> {
    const url = /^https?:\/\//.test(request.url) ? request.url : `${this.options.baseUrl}/${request.url.replace(/^\//, '')}`;
    this.counters.sent += 1;
    try {
      const response = await fetch(url, {
        method: request.method,
        headers: { accept: 'application/json', ...request.headers, authorization: `Bearer ${token}` },
        body: request.body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 120_000),
      });
      return { response: { status: response.status, headers: response.headers, text: await response.text() } };
    } catch (error) {
      return { error: error as Error };
    }
  }

  private backoff(faults: number): Promise<void> {
    const ms = (this.options.backoffMs ?? 200) * 2 ** (faults - 1);
    return new Promise((resolve) => setTimeout(resolve, ms));
  }
}
