import { EventEmitter, on } from 'node:events';
import { NotificationListener } from '../db/notification-listener';
import { eventFromWire, type SyncProgressEvent } from './progress-event';
import { PROGRESS_CHANNEL } from './progress-publisher';

/**
 * This process's end of the progress channel: one LISTEN connection, whose events are parsed once
 * and handed to every local subscriber.
 */
export class ProgressHub {
  private readonly emitter = new EventEmitter();
  private readonly listener: NotificationListener;
  private started: Promise<void> | null = null;

  constructor(integrationUrl: string) {
    this.emitter.setMaxListeners(0);
    this.listener = new NotificationListener(integrationUrl, PROGRESS_CHANNEL, (payload) => this.emitter.emit('event', eventFromWire(payload)));
  }

  /** Connects on first use, so a gateway nobody subscribes to holds no extra connection. */
  private ensureStarted(): Promise<void> {
    this.started ??= this.listener.start().catch((error: unknown) => {
      this.started = null;
      throw error;
    });
    return this.started;
  }

  /**
   * Every event published from now on, until `signal` aborts. Events are buffered per subscriber,
   * so a slow one never holds the others back.
   */
  async events(signal: AbortSignal): Promise<AsyncIterableIterator<SyncProgressEvent>> {
    await this.ensureStarted();
    const iterator = on(this.emitter, 'event', { signal }) as AsyncIterableIterator<[SyncProgressEvent]>;
    return (async function* () {
      try {
        for await (const [event] of iterator) yield event;
      } catch (error) {
        if (!signal.aborted) throw error;
      }
    })();
  }

  async stop(): Promise<void> {
    await this.listener.stop();
  }
}
