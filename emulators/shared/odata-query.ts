import type { IncomingHttpHeaders } from 'node:http';
import { checkField } from '../../src/connectors/web-api/odata-literal';
import type { EmulatorResponse } from './emulator-server';

/** `Prefer: odata.maxpagesize=N`, capped at the product's largest page. */
export function maxPageSize(headers: IncomingHttpHeaders | Readonly<Record<string, string>>, largest: number): number {
  const prefer = String(headers.prefer ?? '');
  const asked = Number(/odata\.maxpagesize=(\d+)/.exec(prefer)?.[1] ?? largest);
  return Math.min(Math.max(1, asked), largest);
}

export function prefers(headers: IncomingHttpHeaders | Readonly<Record<string, string>>, preference: string): boolean {
  return String(headers.prefer ?? '')
    .split(',')
    .some((part) => part.trim().split('=')[0] === preference);
}

/** `$select=a,b` as checked property names, or null for every property. */
export function selected(query: URLSearchParams): string[] | null {
  const raw = query.get('$select');
  return raw ? raw.split(',').map((field) => checkField(field.trim())) : null;
}

export function project(row: Record<string, unknown>, select: readonly string[] | null, always: readonly string[]): Record<string, unknown> {
  if (!select) return row;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row)) if (key.startsWith('@') || always.includes(key) || select.includes(key)) out[key] = row[key];
  return out;
}

/** Continuation state inside a next link: opaque to clients, as the products' own tokens are. */
export function encodeToken(state: unknown): string {
  return Buffer.from(JSON.stringify(state)).toString('base64url');
}

export function decodeToken<T>(token: string): T {
  return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as T;
}

/** The request's URL with `$skiptoken` (or another parameter) replaced: the next link. */
export function linkWith(origin: string, path: string, query: URLSearchParams, name: string, value: string): string {
  const next = new URLSearchParams(query);
  next.set(name, value);
  return `${origin}${path}?${next.toString()}`;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json; odata.metadata=minimal', ...headers }, body: JSON.stringify(body) };
}

/** The body of a create or update: a JSON object, annotations dropped. */
export function recordBody(text: string): Record<string, unknown> {
  const value = JSON.parse(text || '{}') as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SyntaxError('the body must be a JSON object');
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('@')));
}
