import { createHash } from 'node:crypto';
import type { Secret } from '../config/secret';
import type { BusinessCentralClient } from '../connectors/business-central/business-central.client';
import { answerWebhook, notifiedRecord } from '../connectors/business-central/webhook-receiver';
import type { ProductTable } from './product-table';
import type { Replicator } from './replicator';

/** Where the gateway receives Business Central's notifications; BC_NOTIFICATION_URL is this path on the gateway's public address. */
export const BUSINESS_CENTRAL_WEBHOOK_PATH = '/webhooks/business-central';

/** Subscriptions live three days; renewing twice a day leaves a missed renewal time to recover. */
const RENEW_EVERY_MS = 12 * 3_600_000;

/**
 * Business Central's webhooks as a trigger of the ERP mirror: subscriptions to the
 * webhook-supported entity sets, kept alive and renewed; a notification makes the replicator
 * read that entity set's feed at once instead of at its next poll. The feed stays the truth:
 * a lost notification only delays a change until the next poll.
 */
export class BusinessCentralWebhook {
  /**
   * The same for every gateway process of the installation (any of them may receive a
   * notification, and a renewal by one sets it for all), without being the secret itself.
   */
  readonly clientState: string;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly client: BusinessCentralClient,
    private readonly replicator: Replicator,
    private readonly tables: readonly ProductTable[],
    readonly notificationUrl: string,
    clientSecret: Secret,
    private readonly onError: (error: unknown) => void,
  ) {
    this.clientState = createHash('sha256').update(`business-central-webhook:${clientSecret.reveal()}`).digest('hex').slice(0, 40);
  }

  /** What the notification URL answers: the validation handshake, or 202 after nudging the replicator for each notified entity set. */
  receive(query: URLSearchParams, body: string): { status: number; body: string } {
    const answer = answerWebhook(query, body, this.clientState);
    for (const notification of answer.notifications) this.replicator.nudge(notifiedRecord(notification).entitySet);
    return { status: answer.status, body: answer.body };
  }

  /** Subscribes to every webhook-supported entity set now and renews before expiry, until stopped. */
  start(): void {
    const keep = () => {
      this.client
        .keepSubscribed(
          this.tables.filter((map) => map.webhooks).map((map) => map.entitySet),
          this.notificationUrl,
          this.clientState,
        )
        .catch(this.onError);
      this.timer = setTimeout(keep, RENEW_EVERY_MS);
    };
    keep();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
