import type { CombinedError } from 'urql';

/** The server's own words for a refused or failed operation, with its error code. */
export function ApiError({ error }: { error: CombinedError | string | null | undefined }) {
  if (!error) return null;
  if (typeof error === 'string') {
    return (
      <p role="alert" className="error">
        {error}
      </p>
    );
  }
  const messages =
    error.graphQLErrors.length > 0
      ? error.graphQLErrors.map((e) => `${e.message}${e.extensions?.code ? ` (${String(e.extensions.code)})` : ''}`)
      : [error.networkError?.message ?? error.message];
  return (
    <p role="alert" className="error">
      {messages.join(' · ')}
    </p>
  );
}
