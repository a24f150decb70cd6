import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print, type ExecutionResult } from 'graphql';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';

/** A connected graphql-ws client; `onClosed` hears the close code (4403 when the server refuses the socket). */
export function wsClient(wsUrl: string, token: string | null, onClosed?: (code: number) => void): Client {
  return createClient({
    url: wsUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: false,
    onNonLazyError: () => {},
    on: { closed: (event) => onClosed?.((event as { code: number }).code) },
  });
}

/** A running subscription: every result so far, and a promise of all of them once it completes. */
export interface Subscribed<T> {
  readonly results: ExecutionResult<T>[];
  readonly completed: Promise<ExecutionResult<T>[]>;
  /** Resolves once the server has acknowledged the subscription by sending its first result. */
  readonly first: Promise<void>;
}

export function subscribe<T, V extends Record<string, unknown>>(client: Client, document: TypedDocumentNode<T, V>, variables: V): Subscribed<T> {
  const results: ExecutionResult<T>[] = [];
  let firstSeen: () => void = () => {};
  const first = new Promise<void>((resolve) => (firstSeen = resolve));
  const completed = (async () => {
    for await (const result of client.iterate<T>({ query: print(document), variables })) {
      results.push(result as ExecutionResult<T>);
      firstSeen();
    }
    firstSeen();
    return results;
  })();
  return { results, completed, first };
}

export async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** Polls `probe` until it returns a value other than undefined; `what` may describe the state it timed out in. */
export async function eventually<T>(probe: () => Promise<T | undefined>, ms: number, what: string | (() => string)): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
