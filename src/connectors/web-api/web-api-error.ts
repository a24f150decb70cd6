export type WebApiErrorKind =
  /** The identity platform refused the client's credentials. */
  | 'authentication'
  /** No answer: connection refused or dropped, or the deadline passed. */
  | 'connection'
  /** `If-Match` named a version the record no longer has (412). */
  | 'etag-conflict'
  | 'not-found'
  /** Any other answer the caller did not expect. */
  | 'http';

/** A failed call to a product's web API, with what the caller needs to decide what to do next. */
export class WebApiError extends Error {
  override readonly name = 'WebApiError';

  constructor(
    readonly kind: WebApiErrorKind,
    message: string,
    readonly details: {
      readonly status?: number;
      /** The product's own error code (`error.code` of an OData error body). */
      readonly code?: string;
      /** True when the request may have been carried out although no answer arrived. */
      readonly maybeApplied?: boolean;
    } = {},
  ) {
    super(message);
  }

  get status(): number | undefined {
    return this.details.status;
  }
}

/** Reads the OData error body (`{ "error": { "code", "message" } }`) of a failed answer. */
export function odataError(status: number, text: string): WebApiError {
  let code: string | undefined;
  let message = text.slice(0, 500);
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string } };
    code = body.error?.code;
    message = body.error?.message ?? message;
  } catch {
    // not JSON: keep the text
  }
  const kind = status === 412 ? 'etag-conflict' : status === 404 ? 'not-found' : 'http';
  return new WebApiError(kind, `HTTP ${status}: ${message}`, { status, code });
}
