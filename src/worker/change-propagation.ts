import type { DataSource } from 'typeorm';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { CHANGE_CHANNEL } from '../db/migrations/change-notifications.sql';
import { NotificationListener } from '../db/notification-listener';
import { transferredMappings } from '../mappings/standard-mappings';
import { logger } from '../observability/logger';

const CATCH_UP_RETRY_MS = 1_000;

/**
 * Turns committed writes in the ERP and the CRM (their tables' change notifications) into
 * incremental runs of the mappings on those tables, within about a second: the first change
 * starts a short window, and every change in the window rides on the one run it asks for.
 * A mapping takes part once it has been synchronised (it has a watermark); before that, its first
 * run is an administrator's choice, since both sides may already hold the same records. Submitted
 * CRM sales orders are transferred this way when Automatically Create Sales Orders is on.
 */
export class ChangePropagation {
  private readonly listeners: NotificationListener[];
  private readonly pending = new Map<string, NodeJS.Timeout>();
  private stopped = false;

  constructor(
    urls: { readonly erp: string; readonly crm: string },
    private readonly integration: DataSource,
    private readonly request: (mappingName: string, reason: string) => Promise<void>,
    private readonly windowMs: number,
  ) {
    const distinct = [...new Set([urls.erp, urls.crm])];
    this.listeners = distinct.map(
      (url) =>
        new NotificationListener(
          url,
          CHANGE_CHANNEL,
          (table) => this.heard(table),
          () => this.heard(null),
        ),
    );
  }

  async start(): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener.start()));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.pending.values()) clearTimeout(timer);
    this.pending.clear();
    await Promise.all(this.listeners.map((listener) => listener.stop()));
  }

  /**
   * A change heard, or a reconnect when any table may have changed unheard. Reading the mappings
   * fails while the integration store is away (a restart drops its connections after the listener
   * is back); the change is then caught up a little later, as after a reconnect, not lost.
   */
  private heard(table: string | null): void {
    this.changed(table).catch((error: unknown) => {
      logger.warn({ err: error, table }, 'change propagation: cannot read the table mappings; catching up in a moment');
      if (!this.stopped) setTimeout(() => this.heard(null), CATCH_UP_RETRY_MS).unref();
    });
  }

  /** `table` is `schema.table`; null when any table may have changed unheard. */
  private async changed(table: string | null): Promise<void> {
    const mappings = await this.integration.getRepository(TableMapping).find();
    for (const mapping of mappings) {
      // A transfer (sales orders) runs whenever its records change: the connection setup decides.
      if (!transferredMappings.has(mapping.name) && !mapping.erpSyncedUntil && !mapping.crmSyncedUntil) continue;
      // An operator stopped the mapping's full-synchronisation job: it stays stopped until the run is resumed.
      if (mapping.suspendedByRunId) continue;
      if (table !== null && table !== `erp.${mapping.erpTable}` && table !== `crm.${mapping.crmTable}`) continue;
      if (this.pending.has(mapping.name) || this.stopped) continue;
      const timer = setTimeout(() => {
        this.pending.delete(mapping.name);
        this.request(mapping.name, table ? `change in ${table}` : 'catching up after a lost connection').catch((error: unknown) =>
          logger.error({ err: error, mapping: mapping.name }, 'change propagation failed'),
        );
      }, this.windowMs);
      timer.unref();
      this.pending.set(mapping.name, timer);
    }
  }
}
