import { randomBytes, randomUUID } from 'node:crypto';

export interface Subscription {
  readonly subscriptionId: string;
  notificationUrl: string;
  /** `/api/v2.0/companies(…)/customers` */
  readonly resource: string;
  clientState: string;
  expirationDateTime: Date;
  lastModifiedDateTime: Date;
  readonly userId: string;
  version: number;
}

export interface WebhookOptions {
  /** Documented: 30 s after the first change, so that a burst of changes sends once. */
  readonly delayMs: number;
  /** More changes than this within the delay send one `collection` notification. */
  readonly maxNotifications: number;
  /** Documented: subscriptions expire after three days unless renewed. */
  readonly lifetimeMs: number;
  /** Waits between retries when the subscriber answers 408, 429 or 5xx. */
  readonly retryDelaysMs: readonly number[];
}

export const BC_WEBHOOK_DEFAULTS: WebhookOptions = { delayMs: 30_000, maxNotifications: 1_000, lifetimeMs: 3 * 24 * 3_600_000, retryDelaysMs: [60_000, 600_000, 3_600_000] };

interface Pending {
  readonly changes: Map<string, { changeType: string; at: Date }>;
  readonly since: Date;
  timer: NodeJS.Timeout;
}

/**
 * Business Central's webhook side: subscriptions with the validation handshake on create and on
 * renewal, expiry, delayed and merged notifications, `collection` past the threshold, retries on
 * 408/429/5xx and removal of a subscription whose subscriber answers anything else.
 */
export class WebhookHub {
  private readonly subscriptions = new Map<string, Subscription>();
  private readonly pending = new Map<string, Pending>();
  private readonly timers = new Set<NodeJS.Timeout>();
  readonly delivered: { subscriptionId: string; count: number; at: Date }[] = [];

  constructor(public options: WebhookOptions) {}

  list(userId: string): Subscription[] {
    return [...this.subscriptions.values()].filter((s) => s.userId === userId);
  }

  get(id: string): Subscription | undefined {
    return this.subscriptions.get(id);
  }

  async create(userId: string, notificationUrl: string, resource: string, clientState: string): Promise<Subscription> {
    await this.handshake(notificationUrl);
    const now = new Date();
    const subscription: Subscription = {
      subscriptionId: randomUUID().replaceAll('-', ''),
      notificationUrl,
      resource,
      clientState,
      expirationDateTime: new Date(now.getTime() + this.options.lifetimeMs),
      lastModifiedDateTime: now,
      userId,
      version: 1,
    };
    this.subscriptions.set(subscription.subscriptionId, subscription);
    return subscription;
  }

  /** A PATCH renews: the handshake again, then a new expiry. */
  async renew(subscription: Subscription, changes: { notificationUrl?: string; clientState?: string }): Promise<Subscription> {
    const notificationUrl = changes.notificationUrl ?? subscription.notificationUrl;
    await this.handshake(notificationUrl);
    subscription.notificationUrl = notificationUrl;
    subscription.clientState = changes.clientState ?? subscription.clientState;
    subscription.lastModifiedDateTime = new Date();
    subscription.expirationDateTime = new Date(Date.now() + this.options.lifetimeMs);
    subscription.version += 1;
    return subscription;
  }

  delete(id: string): boolean {
    return this.subscriptions.delete(id);
  }

  /** A record of `collectionPath` (`/api/v2.0/companies(…)/customers`) was created, changed or deleted. */
  changed(collectionPath: string, id: string, changeType: 'created' | 'updated' | 'deleted'): void {
    for (const subscription of this.subscriptions.values()) {
      if (subscription.resource !== collectionPath || subscription.expirationDateTime.getTime() <= Date.now()) continue;
      let pending = this.pending.get(subscription.subscriptionId);
      if (!pending) {
        const timer = setTimeout(() => void this.flush(subscription.subscriptionId), this.options.delayMs);
        pending = { changes: new Map(), since: new Date(), timer };
        this.pending.set(subscription.subscriptionId, pending);
      }
      const previous = pending.changes.get(id);
      // created then updated stays created; anything then deleted is deleted
      pending.changes.set(id, { changeType: previous?.changeType === 'created' && changeType === 'updated' ? 'created' : changeType, at: new Date() });
    }
  }

  stop(): void {
    for (const pending of this.pending.values()) clearTimeout(pending.timer);
    for (const timer of this.timers) clearTimeout(timer);
    this.pending.clear();
  }

  private async flush(subscriptionId: string): Promise<void> {
    const pending = this.pending.get(subscriptionId);
    const subscription = this.subscriptions.get(subscriptionId);
    this.pending.delete(subscriptionId);
    if (!pending || !subscription) return;
    const base = { subscriptionId, clientState: subscription.clientState, expirationDateTime: subscription.expirationDateTime.toISOString() };
    const value =
      pending.changes.size > this.options.maxNotifications
        ? [
            {
              ...base,
              resource: `${subscription.resource}?$filter=lastModifiedDateTime gt ${pending.since.toISOString()}`,
              changeType: 'collection',
              lastModifiedDateTime: new Date().toISOString(),
            },
          ]
        : [...pending.changes].map(([id, change]) => ({
            ...base,
            resource: `${subscription.resource}(${id})`,
            changeType: change.changeType,
            lastModifiedDateTime: change.at.toISOString(),
          }));
    await this.deliver(subscription, JSON.stringify({ value }), value.length, 0);
  }

  private async deliver(subscription: Subscription, body: string, count: number, attempt: number): Promise<void> {
    let status: number;
    try {
      const response = await fetch(subscription.notificationUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(10_000) });
      status = response.status;
    } catch {
      status = 503;
    }
    if (status >= 200 && status < 300) {
      this.delivered.push({ subscriptionId: subscription.subscriptionId, count, at: new Date() });
      return;
    }
    const retryable = status === 408 || status === 429 || status >= 500;
    const delay = this.options.retryDelaysMs[attempt];
    if (!retryable) {
      this.subscriptions.delete(subscription.subscriptionId);
      return;
    }
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      void this.deliver(subscription, body, count, attempt + 1);
    }, delay);
    this.timers.add(timer);
  }

  private async handshake(notificationUrl: string): Promise<void> {
    const token = randomBytes(16).toString('hex');
    const url = new URL(notificationUrl);
    url.searchParams.set('validationToken', token);
    let answer: string;
    let status: number;
    try {
      const response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      status = response.status;
      answer = await response.text();
    } catch (error) {
      throw new HandshakeError(`the notification URL did not answer: ${(error as Error).message}`);
    }
    if (status !== 200 || answer !== token) throw new HandshakeError(`the notification URL answered ${status} without the validation token`);
  }
}

export class HandshakeError extends Error {
  override readonly name = 'HandshakeError';
}
