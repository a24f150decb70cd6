import type { GraphQLFormattedError } from 'graphql';

export interface RawResponse {
  readonly status: number;
  readonly contentType: string;
  readonly body: { data?: unknown; errors?: GraphQLFormattedError[] };
  readonly text: string;
}

/**
 * A request as a hostile or careless client sends it: any body, any content type. Hostile
 * documents cannot live in test/operations, so tests that send them use this.
 */
export async function rawRequest(
  url: string,
  options: { body?: string; method?: string; contentType?: string; token?: string | null; headers?: Record<string, string>; signal?: AbortSignal } = {},
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: options.method ?? 'POST',
    headers: {
      ...(options.method === 'GET' ? {} : { 'content-type': options.contentType ?? 'application/json' }),
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...options.headers,
    },
    body: options.body,
    signal: options.signal,
  });
  const text = await response.text();
  let body: RawResponse['body'] = {};
  try {
    body = JSON.parse(text) as RawResponse['body'];
  } catch {
    // not JSON: the test looks at `text` and `contentType`
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body, text };
}

export function graphqlRequest(url: string, query: string, variables: Record<string, unknown> = {}, token: string | null = null) {
  return rawRequest(url, { body: JSON.stringify({ query, variables }), token });
}

export const codesOf = (result: { errors?: ReadonlyArray<{ extensions?: Record<string, unknown> }> | null }) => (result.errors ?? []).map((error) => error.extensions?.code);
