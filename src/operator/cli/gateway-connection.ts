import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type IntrospectionQuery } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import { INTROSPECTION_QUERY, SchemaFeatures } from '../api/schema-features';
import { requiredRole } from '../api/required-roles';
import { highestRole, readTokenClaims } from '../api/token-roles';

/** Exit codes: the gateway refused or a run failed (1); the gateway could not be reached or the token was missing or refused (2). */
export const EXIT_FAILED = 1;
export const EXIT_UNREACHABLE = 2;

/** A failure to tell the user in one sentence, and the exit code it ends the command with. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number = EXIT_FAILED,
  ) {
    super(message);
  }
}

interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string };
}

/** GATEWAY_URL and GATEWAY_TOKEN, checked before anything is sent. */
export function connectionFromEnv(env: NodeJS.ProcessEnv = process.env): GatewayConnection {
  const raw = env.GATEWAY_URL || 'http://localhost:4000/graphql';
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new CliError(`GATEWAY_URL is not a URL: "${raw}" (for example http://localhost:4000/graphql)`, EXIT_UNREACHABLE);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new CliError(`GATEWAY_URL must be an http(s) URL, got "${raw}"`, EXIT_UNREACHABLE);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/graphql';
  const token = (env.GATEWAY_TOKEN ?? '').trim().replace(/^Bearer\s+/i, '');
  if (!token) throw new CliError('GATEWAY_TOKEN is not set: set it to a bearer token (npm start prints one per role in the demo)', EXIT_UNREACHABLE);
  return new GatewayConnection(url, token);
}

/** Talks to one gateway with one token: operations over HTTP, subscriptions over graphql-ws on the same URL. */
export class GatewayConnection {
  private ws: Client | null = null;

  constructor(
    readonly url: URL,
    private readonly token: string,
  ) {}

  async request<T, V>(document: TypedDocumentNode<T, V> | string, variables?: V): Promise<T> {
    const query = typeof document === 'string' ? document : print(document);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.token}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new CliError(
        `Cannot reach the gateway at ${this.url} (${cause?.code ?? cause?.message ?? (error as Error).message}): is it running, and is GATEWAY_URL right?`,
        EXIT_UNREACHABLE,
      );
    }
    const body = (await response.json().catch(() => null)) as { data?: T | null; errors?: GraphQLErrorBody[] } | null;
    if (!body || (!body.data && !body.errors)) {
      throw new CliError(`${this.url} answered HTTP ${response.status} without a GraphQL result: is GATEWAY_URL the gateway's /graphql endpoint?`, EXIT_UNREACHABLE);
    }
    if (body.errors?.length) throw this.refusal(body.errors[0]!, query);
    return body.data as T;
  }

  /** Every event of a subscription until the server completes it; `onEvent` sees each one. */
  async subscribe<T, V>(document: TypedDocumentNode<T, V>, variables: V, onEvent: (data: T) => void): Promise<void> {
    this.ws ??= createClient({
      url: this.url.toString().replace(/^http/, 'ws'),
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${this.token}` },
      retryAttempts: 3,
    });
    const query = print(document);
    for await (const result of this.ws.iterate<T>({ query, variables: variables as Record<string, unknown> })) {
      if (result.errors?.length) throw this.refusal(result.errors[0] as GraphQLErrorBody, query);
      if (result.data) onEvent(result.data);
    }
  }

  /** What the gateway's API offers (for options such as --dry-run that newer gateways have). */
  async features(): Promise<SchemaFeatures> {
    return SchemaFeatures.fromIntrospection(await this.request<IntrospectionQuery, never>(INTROSPECTION_QUERY));
  }

  async close(): Promise<void> {
    await this.ws?.dispose();
  }

  /** The server's refusal in words that say what to change. */
  private refusal(error: GraphQLErrorBody, query: string): CliError {
    const code = error.extensions?.code;
    if (code === 'UNAUTHENTICATED') return new CliError(`The gateway refused the token: ${error.message}. Check GATEWAY_TOKEN.`, EXIT_UNREACHABLE);
    if (code === 'FORBIDDEN') {
      const operation = /\{\s*(\w+)/.exec(query)?.[1] ?? 'this';
      const role = highestRole(readTokenClaims(this.token)?.roles ?? []) ?? 'no role';
      return new CliError(`Refused: ${operation} needs the ${requiredRole(operation)} role and GATEWAY_TOKEN has ${role} (${error.message})`, EXIT_FAILED);
    }
    return new CliError(`The gateway refused: ${error.message}${code ? ` (${code})` : ''}`, EXIT_FAILED);
  }
}
