/**
 * The OData 4.0 multipart `$batch` format (OData Protocol 11.7.2, as Dataverse documents it): a
 * `multipart/mixed` body whose parts are `application/http` messages or change sets (nested
 * `multipart/mixed` parts, each applied as one transaction). Requests and answers share the shape.
 */
export interface HttpMessage {
  /** `PATCH accounts(…) HTTP/1.1` or `HTTP/1.1 204 No Content`. */
  readonly startLine: string;
  /** Lower-case names. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export type BatchPart =
  | { readonly kind: 'message'; readonly message: HttpMessage; readonly contentId?: string }
  | { readonly kind: 'changeset'; readonly boundary: string; readonly parts: readonly BatchPart[] };

const CRLF = '\r\n';

export function boundaryOf(contentType: string | null | undefined): string | null {
  const match = /boundary=("?)([^";]+)\1/i.exec(contentType ?? '');
  return match ? match[2]! : null;
}

function headerLines(headers: Readonly<Record<string, string>>): string {
  return Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}${CRLF}`)
    .join('');
}

export function encodeBatch(boundary: string, parts: readonly BatchPart[]): string {
  let text = '';
  for (const part of parts) {
    text += `--${boundary}${CRLF}`;
    if (part.kind === 'changeset') {
      text += `Content-Type: multipart/mixed; boundary=${part.boundary}${CRLF}${CRLF}${encodeBatch(part.boundary, part.parts)}${CRLF}`;
    } else {
      const contentId = part.contentId === undefined ? '' : `Content-ID: ${part.contentId}${CRLF}`;
      const { startLine, headers, body } = part.message;
      text += `Content-Type: application/http${CRLF}Content-Transfer-Encoding: binary${CRLF}${contentId}${CRLF}`;
      text += `${startLine}${CRLF}${headerLines(headers)}${CRLF}${body}${CRLF}`;
    }
  }
  return `${text}--${boundary}--${CRLF}`;
}

/** Splits a block at its first empty line into lower-cased headers and what follows. */
function splitHeaders(block: string): { firstLine: string | null; headers: Record<string, string>; rest: string } {
  const normalised = block.replace(/^(\r?\n)+/, '');
  const end = normalised.search(/\r?\n\r?\n/);
  const head = end < 0 ? normalised : normalised.slice(0, end);
  const rest = end < 0 ? '' : normalised.slice(end).replace(/^\r?\n\r?\n/, '');
  const lines = head.split(/\r?\n/);
  const headers: Record<string, string> = {};
  let firstLine: string | null = null;
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (firstLine === null && (colon < 0 || /^(HTTP\/|[A-Z]+ )/.test(line))) {
      firstLine = line;
      continue;
    }
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { firstLine, headers, rest };
}

export function parseBatch(body: string, boundary: string): BatchPart[] {
  const chunks = body.split(`--${boundary}`);
  const parts: BatchPart[] = [];
  for (const chunk of chunks.slice(1)) {
    if (chunk.startsWith('--')) break;
    const { headers, rest } = splitHeaders(chunk);
    const nested = boundaryOf(headers['content-type']);
    if (nested) {
      parts.push({ kind: 'changeset', boundary: nested, parts: parseBatch(rest, nested) });
      continue;
    }
    const message = splitHeaders(rest);
    if (message.firstLine === null) throw new SyntaxError('a batch part holds no HTTP message');
    parts.push({
      kind: 'message',
      contentId: headers['content-id'],
      message: { startLine: message.firstLine, headers: message.headers, body: message.rest.replace(/\r?\n$/, '') },
    });
  }
  return parts;
}

/** `HTTP/1.1 412 Precondition Failed` → 412. */
export function statusOf(message: HttpMessage): number {
  const match = /^HTTP\/\d\.\d (\d{3})/.exec(message.startLine);
  if (!match) throw new SyntaxError(`not a status line: ${message.startLine}`);
  return Number(match[1]);
}
