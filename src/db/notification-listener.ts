import { Client } from 'pg';

const RECONNECT_DELAYS_MS = [100, 500, 1_000, 2_000, 5_000];

/**
 * Holds one connection LISTENing on a PostgreSQL channel and hands each payload to `onPayload`.
 * A lost connection is re-established; since notifications sent meanwhile are gone, `onReconnect`
 * lets the owner catch up another way.
 */
export class NotificationListener {
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;

  constructor(
    private readonly url: string,
    private readonly channel: string,
    private readonly onPayload: (payload: string) => void,
    private readonly onReconnect: () => void = () => {},
  ) {}

  async start(): Promise<void> {
    await this.connect();
  }

  /** Whether the connection is up and LISTENing (false while it is being re-established). */
  get connected(): boolean {
    return this.client !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    const client = this.client;
    this.client = null;
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.url, application_name: `erp-crm-gateway:listen:${this.channel}`, connectionTimeoutMillis: 10_000 });
    client.on('notification', (message) => {
      if (message.channel === this.channel && message.payload !== undefined) this.onPayload(message.payload);
    });
    const lost = () => {
      if (this.client !== client) return;
      this.client = null;
      this.reconnectLater();
    };
    client.on('error', lost);
    client.on('end', lost);
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    if (this.stopped) {
      // Stopped while connecting: this connection was never ours to hand over, and would keep the process alive.
      await client.end().catch(() => {});
      return;
    }
    this.client = client;
    this.attempt = 0;
  }

  private reconnectLater(): void {
    if (this.stopped) return;
    const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)]!;
    this.attempt += 1;
    setTimeout(() => {
      if (this.stopped) return;
      this.connect().then(this.onReconnect, () => this.reconnectLater());
    }, delay).unref();
  }
}
