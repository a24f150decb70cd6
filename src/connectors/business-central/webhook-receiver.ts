import { timingSafeEqual } from 'node:crypto';

/** One entry of a Business Central notification. */
export interface BcNotification {
  readonly subscriptionId: string;
  readonly clientState: string;
  readonly expirationDateTime: string;
  /** `api/v2.0/companies(…)/customers(…)`, or for `collection` the collection with a filter. */
  readonly resource: string;
  readonly changeType: 'created' | 'updated' | 'deleted' | 'collection';
  readonly lastModifiedDateTime: string;
}

export interface WebhookAnswer {
  readonly status: number;
  readonly body: string;
  readonly notifications: readonly BcNotification[];
}

function sameSecret(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * What the notification URL answers: the validation token as plain text with 200 (on subscribe
 * and on every renewal), or the notifications whose client state matches. Answering anything but
 * 2xx, 408, 429 or 5xx makes BC delete the subscription, so a request that is not ours gets 400
 * only when it carries no entry of ours at all.
 */
export function answerWebhook(query: URLSearchParams, body: string, clientState: string): WebhookAnswer {
  const validationToken = query.get('validationToken');
  if (validationToken !== null) return { status: 200, body: validationToken, notifications: [] };
  let value: unknown;
  try {
    value = (JSON.parse(body) as { value?: unknown }).value;
  } catch {
    return { status: 400, body: 'not JSON', notifications: [] };
  }
  if (!Array.isArray(value)) return { status: 400, body: 'no value array', notifications: [] };
  const notifications = (value as BcNotification[]).filter((n) => typeof n?.clientState === 'string' && sameSecret(n.clientState, clientState));
  if (notifications.length === 0 && value.length > 0) return { status: 400, body: 'unknown client state', notifications: [] };
  return { status: 202, body: '', notifications };
}

/** The entity set and record id a notification's resource names (`…/customers(id)`). */
export function notifiedRecord(notification: BcNotification): { entitySet: string; id: string | null } {
  const match = /\/([A-Za-z]+)(?:\(([0-9a-fA-F-]{36})\))?(?:\?.*)?$/.exec(notification.resource);
  return { entitySet: match?.[1] ?? '', id: match?.[2]?.toLowerCase() ?? null };
}
