import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FaultInjector } from './faults';
import type { Caller, IdentityEmulator } from './identity';
import type { ServerLimiter } from './server-limits';

export interface EmulatorRequest {
  readonly method: string;
  /** Decoded path without the query. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  readonly caller: Caller;
  /** The server's own address, for links it hands out. */
  readonly origin: string;
}

export interface EmulatorResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export interface EmulatorServerOptions {
  readonly identity: IdentityEmulator;
  readonly limiter: ServerLimiter;
  readonly faults?: FaultInjector | null;
  readonly handle: (request: EmulatorRequest) => Promise<EmulatorResponse>;
  /** The product's JSON error body. */
  readonly errorBody: (code: string, message: string) => string;
  readonly host?: string;
  readonly port?: number;
}

export interface ServerStats {
  requests: number;
  readonly statuses: Record<number, number>;
  dropped: number;
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The HTTP front of an emulator: the token endpoint, then for every API request bearer token
 * check, fault injection, per-user limits and the product's handler, in that order.
 */
export class EmulatorServer {
  readonly stats: ServerStats = { requests: 0, statuses: {}, dropped: 0 };
  faults: FaultInjector | null;

  private constructor(
    private readonly server: Server,
    private readonly options: EmulatorServerOptions,
    readonly url: string,
  ) {
    this.faults = options.faults ?? null;
  }

  static async start(options: EmulatorServerOptions): Promise<EmulatorServer> {
    let emulator: EmulatorServer | null = null;
    const server = createServer((request, response) => {
      emulator!.serve(request, response).catch((error: unknown) => {
        if (!response.headersSent) response.writeHead(500, { 'content-type': 'application/json' });
        response.end(options.errorBody('0x80040216', (error as Error).message));
      });
    });
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve));
    const { address, port } = server.address() as AddressInfo;
    emulator = new EmulatorServer(server, options, `http://${address}:${port}`);
    return emulator;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    const url = new URL(request.url ?? '/', this.url);
    const tenant = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname)?.[1];
    if (tenant && request.method === 'POST') {
      const answer = this.options.identity.issue(decodeURIComponent(tenant), new URLSearchParams(body));
      return this.send(response, { status: answer.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(answer.body) });
    }
    this.stats.requests += 1;
    const caller = this.options.identity.authenticate(request.headers.authorization);
    if (caller === 'missing' || caller === 'expired') return this.unauthorised(response, caller === 'expired' ? 'The access token expired.' : 'No valid bearer token.');
    const fault = this.faults?.pick() ?? null;
    if (fault === 'drop-before') return this.drop(request);
    if (fault === 'server-error') return this.send(response, this.error(500, '0x80040216', 'An unexpected error occurred (injected).'));
    if (fault === 'expired-token') {
      this.options.identity.expire(caller.token);
      return this.unauthorised(response, 'The access token expired.');
    }
    if (fault === 'slow') await sleep(this.faults?.plan.slowMs ?? 2_000);
    const admission = await this.options.limiter.admit(caller.userId);
    if (!admission.ok) {
      const code = admission.status === 429 ? '0x80072322' : 'ServiceUnavailable';
      return this.send(response, {
        ...this.error(admission.status, code, admission.reason),
        headers: { 'content-type': 'application/json', 'retry-after': String(admission.retryAfterSeconds) },
      });
    }
    let answer: EmulatorResponse;
    try {
      answer = await this.options.handle({
        method: request.method ?? 'GET',
        path: decodeURIComponent(url.pathname),
        query: url.searchParams,
        headers: request.headers,
        body,
        caller,
        origin: this.url,
      });
    } finally {
      admission.release();
    }
    if (fault === 'drop-after') return this.drop(request);
    this.send(response, answer);
  }

  private error(status: number, code: string, message: string): EmulatorResponse {
    return { status, headers: { 'content-type': 'application/json' }, body: this.options.errorBody(code, message) };
  }

  private unauthorised(response: ServerResponse, message: string): void {
    this.send(response, {
      ...this.error(401, 'Unauthorized', message),
      headers: { 'content-type': 'application/json', 'www-authenticate': `Bearer error="invalid_token", error_description="${message}"` },
    });
  }

  private drop(request: IncomingMessage): void {
    this.stats.dropped += 1;
    request.socket.destroy();
  }

  private send(response: ServerResponse, answer: EmulatorResponse): void {
    this.stats.statuses[answer.status] = (this.stats.statuses[answer.status] ?? 0) + 1;
    response.writeHead(answer.status, { 'odata-version': '4.0', ...answer.headers });
    response.end(answer.body ?? '');
  }
}
