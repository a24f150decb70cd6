import type { IntrospectionQuery } from 'graphql';
import { INTROSPECTION_QUERY, SchemaFeatures } from '../api/schema-features';

/** The server's refusal, as it said it. */
export class RefusedError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
  ) {
    super(message);
  }
}

/**
 * Checks a token by asking the gateway what its API offers: a refused token fails with the
 * gateway's message, and an accepted one tells the console which features to show.
 */
export async function loadFeatures(token: string): Promise<SchemaFeatures> {
  const response = await fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: INTROSPECTION_QUERY }),
  });
  const body = (await response.json().catch(() => null)) as { data?: IntrospectionQuery; errors?: { message: string; extensions?: { code?: string } }[] } | null;
  const error = body?.errors?.[0];
  if (error) throw new RefusedError(error.message, error.extensions?.code ?? null);
  if (!body?.data) throw new RefusedError(`The gateway answered ${response.status} ${response.statusText}`, null);
  return SchemaFeatures.fromIntrospection(body.data);
}

/** The demo's tokens, one per role; the gateway offers them only when it generated its secret for this run. */
export async function demoTokens(): Promise<Record<string, string>> {
  const response = await fetch('demo-tokens.json');
  if (!response.ok) return {};
  return (await response.json()) as Record<string, string>;
}
