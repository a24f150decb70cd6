import { randomUUID } from 'node:crypto';
import { registerEnumType } from 'type-graphql';
import { In, type DataSource } from 'typeorm';
import { v5 as uuidV5 } from 'uuid';
import { SalesOrder, SalesOrderState } from '../../entities/crm/sales-order.entity';
import { SalesOrderDetail } from '../../entities/crm/sales-order-detail.entity';
import { SystemUser } from '../../entities/crm/system-user.entity';
import { Unit } from '../../entities/crm/unit.entity';
import { Customer } from '../../entities/erp/customer.entity';
import { Item } from '../../entities/erp/item.entity';
import { Resource } from '../../entities/erp/resource.entity';
import { SalesDocumentType, SalesHeader } from '../../entities/erp/sales-header.entity';
import { SalesLine, SalesLineType } from '../../entities/erp/sales-line.entity';
import { SalesReceivablesSetup, WriteInProductType } from '../../entities/erp/sales-receivables-setup.entity';
import { FieldMapping } from '../../entities/integration/field-mapping.entity';
import { IntegrationRecord, SyncResult } from '../../entities/integration/integration-record.entity';
import { OptionCoupling } from '../../entities/integration/option-coupling.entity';
import { SyncJobType, type SyncJob } from '../../entities/integration/sync-job.entity';
import { TableMapping } from '../../entities/integration/table-mapping.entity';
import { FilterOperator, type RecordFilter } from '../../entities/integration/record-filter';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { newCouplingValues } from '../sync/coupling-values';
import { DomainError, badInput, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import type { SyncJobStates } from '../jobs/sync-job-states';
import { readConnectionSetup } from '../setup/connection-setup.service';
import type { FieldTransformer } from '../sync/field-transformer';
import type { ReferenceTranslator } from '../sync/reference-translator';
import { ERP_WRITER as ERP_INTEGRATION_USER } from '../sync/sync-decision';
import { whileHoldingMappingLock } from '../sync/mapping-lock';
import { lockMappingRecords } from '../unify/mapping-records-lock';
import { decodeUnifiedId } from '../unify/unified-id';
import { splitText } from './text-lines';

export const SALES_ORDER_MAPPING = 'SALESORDER-ORDER';

export enum TransferStatus {
  TRANSFERRED = 'TRANSFERRED',
  /** Coupled to an ERP order already, or an ERP order has the CRM order number as Your Reference: nothing was created. */
  ALREADY_TRANSFERRED = 'ALREADY_TRANSFERRED',
  FAILED = 'FAILED',
}

registerEnumType(TransferStatus, { name: 'SalesOrderTransferStatus' });

export interface TransferOutcome {
  /** The CRM order's GUID. */
  readonly crmOrderId: string;
  readonly orderNumber: string | null;
  readonly status: TransferStatus;
  readonly code: ErrorCode | null;
  readonly message: string | null;
  /** The ERP order's SystemId, when there is one. */
  readonly erpOrderId: string | null;
}

export interface TransferRun {
  readonly job: SyncJob;
  readonly orders: readonly TransferOutcome[];
}

/** Transferred orders get ids derived from the CRM order, so a retried transfer writes the same rows again. */
const TRANSFER_NAMESPACE = '3e0d5a7c-91b4-4c2f-8d6e-0a4b7c9e1f35';

const CHUNK = 500;

const round = (amount: number) => Math.round(amount * 100) / 100;

/** Seed, "Field Mapping for the Sales Account Option": the order's options come back through the same couplings. */
const orderOptions = [
  { optionMapping: 'PAYMENT TERMS', order: 'paymentTermsCode', header: 'paymentTermsCode' },
  { optionMapping: 'SHIPMENT METHOD', order: 'freightTermsCode', header: 'shipmentMethodCode' },
  { optionMapping: 'SHIPPING AGENT', order: 'shippingMethodCode', header: 'shippingAgentCode' },
] as const;

/** Everything a chunk of orders needs from the three stores, read in one batch per table. */
interface ChunkData {
  readonly mapping: TableMapping;
  readonly fields: FieldMapping[];
  readonly orders: Map<string, SalesOrder>;
  readonly details: SalesOrderDetail[];
  readonly links: Map<string, IntegrationRecord>;
  readonly byReference: Map<string, SalesHeader>;
  readonly customers: Map<string, Customer>;
  readonly items: Map<string, Item>;
  readonly resources: Map<string, Resource>;
  readonly unitCodes: Map<string, string>;
  readonly options: OptionCoupling[];
  readonly writeIn: { readonly type: WriteInProductType; readonly product: Item | Resource | null; readonly coupled: boolean } | null;
  readonly writer: string;
}

class OrderRefused extends DomainError {}

const refuse = (code: ErrorCode, message: string) => new OrderRefused(code, message);

/**
 * Turns submitted CRM sales orders into ERP sales orders (seed: "Handling Special Sales Order
 * Data"), each order on its own: its header and lines in one ERP transaction, then the CRM order
 * stamped with its back-office submit time, then the coupling. An order that fails does so alone,
 * with a code and a reason, leaving nothing behind in the ERP.
 */
export class SalesOrderTransferService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
    private readonly transformer: FieldTransformer,
    private readonly translator: ReferenceTranslator,
    private readonly jobs: SyncJobStates,
  ) {}

  /** Transfers the given orders (unified SalesOrder ids). */
  async transfer(ids: readonly string[], requestedBy: string): Promise<TransferRun> {
    const startedAt = new Date();
    const parts = ids.map((id) => decodeUnifiedId(id));
    const foreign = parts.find((part) => part.typeName !== 'SalesOrder');
    if (foreign) throw badInput(`Only sales orders can be transferred, not a ${foreign.typeName}`, { argument: 'crmOrderIds' });
    const setup = await readConnectionSetup(this.integration);
    if (!setup.salesOrderIntegrationEnabled) throw refused(ErrorCode.SALES_ORDER_INTEGRATION_DISABLED, 'Sales order integration is turned off in the connection setup');
    const crmKeys = await this.crmKeysOf(parts);
    const keys = [...new Set(crmKeys.flatMap((key) => (typeof key === 'string' ? [key] : [])))];
    const orders = await this.oneAtATime(async () => {
      const outcomes: TransferOutcome[] = [];
      for (let start = 0; start < keys.length; start += CHUNK) outcomes.push(...(await this.transferChunk(keys.slice(start, start + CHUNK))));
      return outcomes;
    });
    const notInCrm = crmKeys.flatMap((key) => (typeof key === 'string' ? [] : [key.failed]));
    return { job: await this.logJob(startedAt, requestedBy, [...orders, ...notInCrm]), orders: [...orders, ...notInCrm] };
  }

  /**
   * The automatic transfer (Automatically Create Sales Orders): every submitted CRM order not
   * transferred yet. Null while the setting is off. Background jobs call this on their schedule or
   * when the CRM reports changed sales orders.
   */
  async transferSubmittedOrders(requestedBy: string): Promise<TransferRun | null> {
    const startedAt = new Date();
    const setup = await readConnectionSetup(this.integration);
    if (!setup.salesOrderIntegrationEnabled || !setup.autoCreateSalesOrders) return null;
    const filter: RecordFilter = [
      { field: 'stateCode', op: FilterOperator.EQ, value: SalesOrderState.SUBMITTED },
      { field: 'lastBackofficeSubmit', op: FilterOperator.IS_NULL },
    ];
    const orders = await this.oneAtATime(async () => {
      const outcomes: TransferOutcome[] = [];
      let after: string | null = null;
      for (;;) {
        const page: SalesOrder[] = await this.connectors.crm.list(this.connectors.crm.table<SalesOrder>('sales_order'), { filter, first: CHUNK, after });
        if (page.length === 0) break;
        outcomes.push(...(await this.transferChunk(page.map((order) => order.id))));
        if (page.length < CHUNK) break;
        after = page[page.length - 1]!.id;
      }
      return outcomes;
    });
    return { job: await this.logJob(startedAt, requestedBy, orders), orders };
  }

  /**
   * Transfers run one at a time: each reads which orders are transferred already, and two at once
   * would both find an order not transferred, write the same ERP order and both count it.
   */
  private oneAtATime<T>(work: () => Promise<T>): Promise<T> {
    return whileHoldingMappingLock(this.integration, SALES_ORDER_MAPPING, work);
  }

  /** CRM keys of the ids; an id of an ERP order names its CRM order through its coupling. */
  private async crmKeysOf(parts: ReturnType<typeof decodeUnifiedId>[]): Promise<Array<string | { failed: TransferOutcome }>> {
    const erpKeys = parts.filter((part) => part.system === 'erp').map((part) => part.key);
    const links = erpKeys.length > 0 ? await this.integration.getRepository(IntegrationRecord).findBy({ mappingName: SALES_ORDER_MAPPING, erpId: In(erpKeys) }) : [];
    return parts.map((part) => {
      if (part.system === 'crm') return part.key;
      const crmId = links.find((link) => link.erpId === part.key)?.crmId;
      return (
        crmId ?? {
          failed: {
            crmOrderId: part.key,
            orderNumber: null,
            status: TransferStatus.FAILED,
            code: ErrorCode.NOT_FOUND,
            message: 'This ERP sales order did not come from a CRM order',
            erpOrderId: part.key,
          },
        }
      );
    });
  }

  private async transferChunk(keys: readonly string[]): Promise<TransferOutcome[]> {
    const data = await this.load(keys);
    const candidates = keys.map((key) => data.orders.get(key)).filter((order): order is SalesOrder => order !== undefined);
    const headers = await this.transformer.transform(
      data.mapping,
      data.fields,
      'erp',
      candidates.map((order) => ({ source: order, target: null })),
    );
    const headerOf = new Map(candidates.map((order, index) => [order.id, headers[index]!]));
    const outcomes: TransferOutcome[] = [];
    for (const key of keys) {
      const order = data.orders.get(key);
      if (!order) {
        outcomes.push({
          crmOrderId: key,
          orderNumber: null,
          status: TransferStatus.FAILED,
          code: ErrorCode.NOT_FOUND,
          message: `There is no CRM sales order ${key}`,
          erpOrderId: null,
        });
        continue;
      }
      const base = { crmOrderId: order.id, orderNumber: order.orderNumber };
      const link = data.links.get(order.id);
      if (link?.erpId) {
        outcomes.push({ ...base, status: TransferStatus.ALREADY_TRANSFERRED, code: null, message: null, erpOrderId: link.erpId });
        continue;
      }
      const earlier = data.byReference.get(this.yourReference(order));
      if (earlier) {
        // A transfer that stopped after the ERP commit is completed here: stamp and couple, create nothing.
        await this.recordTransfer(data, order, earlier);
        outcomes.push({ ...base, status: TransferStatus.ALREADY_TRANSFERRED, code: null, message: null, erpOrderId: earlier.systemId });
        continue;
      }
      try {
        const header = this.header(data, order, headerOf.get(order.id)!);
        const lines = this.lines(data, order, header);
        const stamp = await this.connectors.erp.bulkUpsertTogether(
          [
            { table: this.connectors.erp.table<SalesHeader>('sales_header'), records: [header] },
            { table: this.connectors.erp.table<SalesLine>('sales_line'), records: lines },
          ],
          ERP_INTEGRATION_USER,
        );
        await this.recordTransfer(data, order, { ...header, modifiedAt: stamp });
        outcomes.push({ ...base, status: TransferStatus.TRANSFERRED, code: null, message: null, erpOrderId: header.systemId });
      } catch (error) {
        if (!(error instanceof OrderRefused)) throw error;
        outcomes.push({ ...base, status: TransferStatus.FAILED, code: error.code, message: error.message, erpOrderId: null });
      }
    }
    return outcomes;
  }

  private async load(keys: readonly string[]): Promise<ChunkData> {
    const { erp, crm } = this.connectors;
    const [mapping, fields, orders, details, links, [salesSetup], [integrationUser]] = await Promise.all([
      this.integration.getRepository(TableMapping).findOneByOrFail({ name: SALES_ORDER_MAPPING }),
      this.integration.getRepository(FieldMapping).find({ where: { tableMappingName: SALES_ORDER_MAPPING }, order: { sequence: 'ASC' } }),
      crm.getByKeys(crm.table<SalesOrder>('sales_order'), keys),
      crm.getByField(crm.table<SalesOrderDetail>('sales_order_detail'), 'salesOrderId', keys),
      this.integration.getRepository(IntegrationRecord).findBy({ mappingName: SALES_ORDER_MAPPING, crmId: In([...keys]) }),
      erp.getByField(erp.table<SalesReceivablesSetup>('sales_receivables_setup'), 'primaryKey', ['']),
      crm.getByField(crm.table<SystemUser>('system_user'), 'isIntegrationUser', [true]),
    ]);
    const productIds = [...new Set(details.flatMap((detail) => (detail.productId ? [detail.productId] : [])))];
    const unitIds = [...new Set(details.flatMap((detail) => (detail.unitId ? [detail.unitId] : [])))];
    const [headers, customerNos, itemNos, resourceNos, units, options] = await Promise.all([
      erp.getByField(
        erp.table<SalesHeader>('sales_header'),
        'yourReference',
        orders.map((order) => this.yourReference(order)),
      ),
      this.translator.crmToCodes(
        'CUSTOMER',
        orders.map((order) => order.customerId),
      ),
      this.translator.crmToCodes('ITEM-PRODUCT', productIds),
      this.translator.crmToCodes('RESOURCE-PRODUCT', productIds),
      crm.getByKeys(crm.table<Unit>('unit'), unitIds),
      this.integration.getRepository(OptionCoupling).findBy({ optionMappingName: In(orderOptions.map((option) => option.optionMapping)) }),
    ]);
    const writeInType = salesSetup?.writeInProductType ?? WriteInProductType.ITEM;
    const writeInNo = salesSetup?.writeInProductNo ?? null;
    const itemWanted = [...itemNos.values(), ...(writeInNo && writeInType === WriteInProductType.ITEM ? [writeInNo] : [])];
    const resourceWanted = [...resourceNos.values(), ...(writeInNo && writeInType === WriteInProductType.RESOURCE ? [writeInNo] : [])];
    const [customers, items, resources, unitCodes] = await Promise.all([
      erp.getByField(erp.table<Customer>('customer'), 'no', [...customerNos.values()]),
      erp.getByField(erp.table<Item>('item'), 'no', itemWanted),
      erp.getByField(erp.table<Resource>('resource'), 'no', resourceWanted),
      this.translator.crmToCodes(
        'UNIT OF MEASURE',
        units.map((unit) => unit.unitGroupId),
      ),
    ]);
    const writeInProduct = writeInNo ? (((writeInType === WriteInProductType.ITEM ? items : resources) as Array<Item | Resource>).find((p) => p.no === writeInNo) ?? null) : null;
    const writeInLink = writeInProduct
      ? await this.integration
          .getRepository(IntegrationRecord)
          .findOneBy({ mappingName: writeInType === WriteInProductType.ITEM ? 'ITEM-PRODUCT' : 'RESOURCE-PRODUCT', erpId: writeInProduct.systemId })
      : null;
    const customerByNo = new Map(customers.map((customer) => [customer.no, customer]));
    const itemByNo = new Map(items.map((item) => [item.no, item]));
    const resourceByNo = new Map(resources.map((resource) => [resource.no, resource]));
    return {
      mapping,
      fields,
      orders: new Map(orders.map((order) => [order.id, order])),
      details,
      links: new Map(links.map((link) => [link.crmId!, link])),
      byReference: new Map(headers.filter((header) => header.documentType === SalesDocumentType.ORDER).map((header) => [header.yourReference!, header])),
      customers: new Map(
        orders.flatMap((order) => {
          const customer = customerByNo.get(customerNos.get(order.customerId) ?? '');
          return customer ? [[order.id, customer] as const] : [];
        }),
      ),
      items: new Map([...itemNos].flatMap(([productId, no]) => (itemByNo.has(no) ? [[productId, itemByNo.get(no)!] as const] : []))),
      resources: new Map([...resourceNos].flatMap(([productId, no]) => (resourceByNo.has(no) ? [[productId, resourceByNo.get(no)!] as const] : []))),
      unitCodes: new Map(units.flatMap((unit) => (unitCodes.has(unit.unitGroupId) ? [[unit.id, unitCodes.get(unit.unitGroupId)!] as const] : []))),
      options,
      writeIn: writeInNo ? { type: writeInType, product: writeInProduct, coupled: Boolean(writeInLink?.crmId) } : null,
      writer: integrationUser?.id ?? '',
    };
  }

  /** The header the SALESORDER-ORDER field mappings make of the order, completed with what a BC order takes from its customer. */
  private header(data: ChunkData, order: SalesOrder, outcome: Awaited<ReturnType<FieldTransformer['transform']>>[number]): SalesHeader {
    if (order.stateCode !== SalesOrderState.SUBMITTED) {
      throw refuse(ErrorCode.ORDER_NOT_SUBMITTED, `Order ${order.orderNumber} is ${order.stateCode}; only submitted orders are transferred`);
    }
    const customer = data.customers.get(order.id);
    if (!customer) throw refuse(ErrorCode.CUSTOMER_NOT_COUPLED, `Order ${order.orderNumber}: its account ${order.customerId} is not coupled to an ERP customer`);
    if (outcome.kind === 'SKIP') throw refuse(ErrorCode.PREREQUISITE_NOT_COUPLED, `Order ${order.orderNumber}: ${outcome.reason}`);
    const header = outcome.record as SalesHeader;
    const options = Object.fromEntries(
      orderOptions.map((option) => {
        const value = order[option.order];
        const code = value === null ? customer[option.header] : (data.options.find((o) => o.optionMappingName === option.optionMapping && o.crmValue === value)?.erpCode ?? null);
        return [option.header, code];
      }),
    );
    return {
      ...header,
      ...options,
      documentType: SalesDocumentType.ORDER,
      sellToCustomerNo: customer.no,
      yourReference: this.yourReference(order),
      orderDate: new Date().toISOString().slice(0, 10),
    };
  }

  /** A line per order product, and Comment lines carrying any description longer than an ERP line holds. */
  private lines(data: ChunkData, order: SalesOrder, header: SalesHeader): SalesLine[] {
    const width = this.connectors.erp.maxLength(this.connectors.erp.table<SalesLine>('sales_line'), 'description') ?? 100;
    const details = data.details.filter((detail) => detail.salesOrderId === order.id).sort((a, b) => a.lineItemNumber - b.lineItemNumber);
    const lines: SalesLine[] = [];
    const add = (line: Omit<SalesLine, 'systemId' | 'documentType' | 'documentNo' | 'lineNo' | 'modifiedAt' | 'modifiedBy'>) => {
      const lineNo = (lines.length + 1) * 10_000;
      lines.push({
        ...line,
        systemId: uuidV5(`${header.systemId}/${lineNo}`, TRANSFER_NAMESPACE),
        documentType: SalesDocumentType.ORDER,
        documentNo: header.no,
        lineNo,
        modifiedAt: new Date(),
        modifiedBy: ERP_INTEGRATION_USER,
      });
    };
    for (const detail of details) {
      const { type, product } = this.soldProduct(data, order, detail);
      const description = detail.productDescription || ('description' in product ? product.description : product.name);
      const unitOfMeasureCode = detail.unitId ? data.unitCodes.get(detail.unitId) : product.baseUnitOfMeasure;
      if (unitOfMeasureCode === undefined) {
        throw refuse(
          ErrorCode.PREREQUISITE_NOT_COUPLED,
          `Order ${order.orderNumber}, line ${detail.lineItemNumber}: its unit ${detail.unitId} is not coupled to an ERP unit of measure`,
        );
      }
      add({
        type,
        no: product.no,
        description: description.slice(0, width),
        quantity: detail.quantity,
        unitPrice: detail.pricePerUnit,
        lineAmount: round(detail.quantity * detail.pricePerUnit),
        unitOfMeasureCode,
      });
      if (description.length > width) {
        for (const text of splitText(description, width))
          add({ type: SalesLineType.COMMENT, no: null, description: text, quantity: 0, unitPrice: 0, lineAmount: 0, unitOfMeasureCode: null });
      }
    }
    return lines;
  }

  /** A catalogue product is its coupled item or resource; a write-in product is the setup's write-in item or resource. */
  private soldProduct(data: ChunkData, order: SalesOrder, detail: SalesOrderDetail): { type: SalesLineType; product: Item | Resource } {
    const where = `Order ${order.orderNumber}, line ${detail.lineItemNumber}`;
    if (detail.productId) {
      const item = data.items.get(detail.productId);
      if (item) return { type: SalesLineType.ITEM, product: item };
      const resource = data.resources.get(detail.productId);
      if (resource) return { type: SalesLineType.RESOURCE, product: resource };
      throw refuse(ErrorCode.PREREQUISITE_NOT_COUPLED, `${where}: product ${detail.productId} is not coupled to an ERP item or resource`);
    }
    const writeIn = data.writeIn;
    if (!writeIn?.product)
      throw refuse(ErrorCode.WRITE_IN_PRODUCT_NOT_CONFIGURED, `${where} is a write-in product, and the Sales & Receivables Setup names no existing write-in product`);
    if (writeIn.coupled) throw refuse(ErrorCode.WRITE_IN_PRODUCT_COUPLED, `${where}: the write-in ${writeIn.type.toLowerCase()} ${writeIn.product.no} is coupled to a CRM product`);
    return { type: writeIn.type === WriteInProductType.ITEM ? SalesLineType.ITEM : SalesLineType.RESOURCE, product: writeIn.product };
  }

  /** Stamps the CRM order with its back-office submit time (as the integration user, so the sync ignores it), then couples the pair, in sync. */
  private async recordTransfer(data: ChunkData, order: SalesOrder, header: SalesHeader): Promise<void> {
    const submitted = order.lastBackofficeSubmit ? order : { ...order, lastBackofficeSubmit: new Date() };
    const crmStamp = order.lastBackofficeSubmit
      ? order.modifiedAt
      : await this.connectors.crm.bulkUpsert(this.connectors.crm.table<SalesOrder>('sales_order'), [submitted], data.writer || order.modifiedBy);
    const now = new Date();
    await this.integration.transaction(async (manager) => {
      await lockMappingRecords(manager, SALES_ORDER_MAPPING, 'coupling');
      await manager
        .createQueryBuilder()
        .delete()
        .from(IntegrationRecord)
        .where('mapping_name = :mapping AND (crm_id = :crmId OR erp_id = :erpId)', { mapping: SALES_ORDER_MAPPING, crmId: order.id, erpId: header.systemId })
        .execute();
      await manager.insert(IntegrationRecord, {
        id: randomUUID(),
        ...newCouplingValues(SALES_ORDER_MAPPING, { erp: header.systemId, crm: order.id }, header, { ...submitted, modifiedAt: crmStamp }, 'transfer'),
        lastSyncedAt: now,
        lastSyncedErpModifiedAt: header.modifiedAt,
        lastSyncedCrmModifiedAt: crmStamp,
        lastResult: SyncResult.SUCCESS,
      });
    });
  }

  /** Your Reference holds the CRM order number, cut to the ERP field. */
  private yourReference(order: SalesOrder): string {
    return order.orderNumber.slice(0, this.connectors.erp.maxLength(this.connectors.erp.table<SalesHeader>('sales_header'), 'yourReference') ?? undefined);
  }

  private logJob(startedAt: Date, requestedBy: string, orders: readonly TransferOutcome[]): Promise<SyncJob> {
    const count = (status: TransferStatus) => orders.filter((order) => order.status === status).length;
    const failed = count(TransferStatus.FAILED);
    return this.integration.transaction((manager) =>
      this.jobs.recordCompleted(
        manager,
        {
          type: SyncJobType.TRANSFER,
          mappingName: SALES_ORDER_MAPPING,
          requestedBy,
          startedAt,
          message:
            failed > 0
              ? orders
                  .flatMap((order) => (order.message ? [order.message] : []))
                  .slice(0, 20)
                  .join('; ')
              : null,
        },
        { inserted: count(TransferStatus.TRANSFERRED), unchanged: count(TransferStatus.ALREADY_TRANSFERRED), failed, coupled: count(TransferStatus.TRANSFERRED) },
        orders.length,
      ),
    );
  }
}
