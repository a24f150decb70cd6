import type { SyncJob } from '../../entities/integration/sync-job.entity';
import { refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { SyncEngine, WhenBusy } from '../sync/sync-engine';
import type { SyncMode } from '../sync/sync-mode';
import { SALES_ORDER_MAPPING, type SalesOrderTransferService } from './sales-order-transfer.service';

/**
 * Runs one mapping the way its records move. Sales orders are not synchronised field by field:
 * running their mapping is BC's SALESORDER-ORDER job, which creates ERP orders from submitted CRM
 * orders when Automatically Create Sales Orders is on. Every other mapping goes to the engine.
 */
export class MappingRunService {
  constructor(
    private readonly engine: SyncEngine,
    private readonly salesOrders: SalesOrderTransferService,
  ) {}

  async run(mappingName: string, mode: SyncMode, requestedBy: string, whenBusy: WhenBusy = 'queue'): Promise<SyncJob> {
    if (mappingName !== SALES_ORDER_MAPPING) return this.engine.runMapping(mappingName, mode, requestedBy, whenBusy);
    const run = await this.salesOrders.transferSubmittedOrders(requestedBy);
    if (!run) {
      throw refused(
        ErrorCode.MAPPING_NOT_SYNCHRONISED,
        `${mappingName}: sales orders are transferred with their lines, by transferSalesOrders, or by this run when Automatically Create Sales Orders is on`,
      );
    }
    return run.job;
  }
}
