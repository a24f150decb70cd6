import { SyncJobType, type SyncJob } from '../../entities/integration/sync-job.entity';
import type { SyncJobStates } from '../jobs/sync-job-states';
import type { DryRunJob } from '../sync/dry-run';
import { refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { SyncEngine, WhenBusy } from '../sync/sync-engine';
import type { SyncMode } from '../sync/sync-mode';
import { SALES_ORDER_MAPPING, type SalesOrderTransferService } from '../sales-orders/sales-order-transfer.service';

/**
 * Runs one mapping the way its records move. Sales orders are not synchronised field by field:
 * running their mapping is BC's SALESORDER-ORDER job, which creates ERP orders from submitted CRM
 * orders when Automatically Create Sales Orders is on. Every other mapping goes to the engine.
 */
export class MappingRunService {
  constructor(
    private readonly engine: SyncEngine,
    private readonly salesOrders: SalesOrderTransferService,
    private readonly states: SyncJobStates,
  ) {}

  /**
   * What running the mapping would do, written nowhere: a job that was never stored, with the dry
   * run's report. A transfer of sales orders has no dry run.
   */
  async dryRun(mappingName: string, mode: SyncMode, requestedBy: string): Promise<DryRunJob> {
    if (mappingName === SALES_ORDER_MAPPING)
      throw refused(ErrorCode.MAPPING_NOT_SYNCHRONISED, `${mappingName}: sales orders are transferred with their lines, and a transfer has no dry run`);
    const report = await this.engine.dryRun(mappingName, mode);
    return { ...this.states.dryRun({ type: SyncJobType.SYNC, mappingName, direction: report.direction, requestedBy }, report.counters, report.processed), dryRun: report };
  }

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
