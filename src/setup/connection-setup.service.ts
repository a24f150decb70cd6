import { registerEnumType } from 'type-graphql';
import type { DataSource, EntityManager } from 'typeorm';
import { v5 as uuidV5 } from 'uuid';
import { SystemUser } from '../../entities/crm/system-user.entity';
import { SalesReceivablesSetup, WriteInProductType } from '../../entities/erp/sales-receivables-setup.entity';
import { ConnectionSetup } from '../../entities/integration/connection-setup.entity';
import { IntegrationRecord, LISTED } from '../../entities/integration/integration-record.entity';
import type { SystemConnector, SystemName } from '../connectors/system-connector';
import { badInput, notFound, refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';

/** A step of the assisted setup (seed: "Setting Up the Connection", "Coupling Records"). */
export enum SetupStep {
  INTEGRATION_USER = 'INTEGRATION_USER',
  SALESPEOPLE_COUPLED = 'SALESPEOPLE_COUPLED',
  CURRENCIES_COUPLED = 'CURRENCIES_COUPLED',
  UNITS_OF_MEASURE_COUPLED = 'UNITS_OF_MEASURE_COUPLED',
  CUSTOMERS_COUPLED = 'CUSTOMERS_COUPLED',
  PRICE_GROUPS_COUPLED = 'PRICE_GROUPS_COUPLED',
  ITEMS_COUPLED = 'ITEMS_COUPLED',
  RESOURCES_COUPLED = 'RESOURCES_COUPLED',
  WRITE_IN_PRODUCT = 'WRITE_IN_PRODUCT',
}

registerEnumType(SetupStep, { name: 'SetupStep', description: 'A prerequisite of the sales order integration, as the assisted setup lists them.' });

export interface SetupPrerequisite {
  readonly step: SetupStep;
  readonly met: boolean;
  readonly detail: string;
  /** For coupling steps: records coupled, and records in the mapping's scope on one side only. */
  readonly coupled: number | null;
  readonly uncoupled: number | null;
}

export interface ConnectionSetupState {
  readonly integrationUser: SystemUser | null;
  readonly salesOrderIntegrationEnabled: boolean;
  readonly autoCreateSalesOrders: boolean;
  readonly itemAvailabilityEnabled: boolean;
  readonly writeInProductType: WriteInProductType;
  readonly writeInProductNo: string | null;
  readonly prerequisites: readonly SetupPrerequisite[];
}

export interface ConnectionSetupChange {
  readonly integrationUserId?: string | null;
  readonly salesOrderIntegrationEnabled?: boolean | null;
  readonly autoCreateSalesOrders?: boolean | null;
  readonly itemAvailabilityEnabled?: boolean | null;
  readonly writeInProductType?: WriteInProductType | null;
  /** Null clears the write-in product; undefined leaves it. */
  readonly writeInProductNo?: string | null;
}

/** The flags of a gateway whose setup was never saved: everything off, as in a new BC company. */
export function defaultConnectionSetup(): ConnectionSetup {
  return { primaryKey: '', salesOrderIntegrationEnabled: false, autoCreateSalesOrders: false, itemAvailabilityEnabled: false, modifiedAt: new Date(0), modifiedBy: '' };
}

export async function readConnectionSetup(store: DataSource | EntityManager): Promise<ConnectionSetup> {
  return (await store.getRepository(ConnectionSetup).findOneBy({ primaryKey: '' })) ?? defaultConnectionSetup();
}

const couplingSteps: ReadonlyArray<readonly [SetupStep, string]> = [
  [SetupStep.SALESPEOPLE_COUPLED, 'SALESPEOPLE'],
  [SetupStep.CURRENCIES_COUPLED, 'CURRENCY'],
  [SetupStep.UNITS_OF_MEASURE_COUPLED, 'UNIT OF MEASURE'],
  [SetupStep.CUSTOMERS_COUPLED, 'CUSTOMER'],
  [SetupStep.PRICE_GROUPS_COUPLED, 'CUSTPRCGRP-PRICE'],
  [SetupStep.ITEMS_COUPLED, 'ITEM-PRODUCT'],
  [SetupStep.RESOURCES_COUPLED, 'RESOURCE-PRODUCT'],
];

const writeInTables = { [WriteInProductType.ITEM]: { table: 'item', mapping: 'ITEM-PRODUCT' }, [WriteInProductType.RESOURCE]: { table: 'resource', mapping: 'RESOURCE-PRODUCT' } };

const SETUP_NAMESPACE = 'd0b6c1e2-7a54-4f0e-9c3b-5e8a2f61b7d4';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The connection setup as one screen over its three homes: feature flags in the gateway's store,
 * the integration user in the CRM (its integration user mode, which the sync engine reads), and the
 * write-in product in the ERP's Sales & Receivables Setup. A change is checked whole before any
 * store is written, so a refused change leaves all three as they were.
 */
export class ConnectionSetupService {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
  ) {}

  async get(): Promise<ConnectionSetupState> {
    const [flags, integrationUsers, salesSetup] = await Promise.all([readConnectionSetup(this.integration), this.integrationUsers(), this.salesReceivablesSetup()]);
    const writeInProductType = salesSetup?.writeInProductType ?? WriteInProductType.ITEM;
    const writeInProductNo = salesSetup?.writeInProductNo ?? null;
    const integrationUser = integrationUsers[0] ?? null;
    return {
      integrationUser,
      salesOrderIntegrationEnabled: flags.salesOrderIntegrationEnabled,
      autoCreateSalesOrders: flags.autoCreateSalesOrders,
      itemAvailabilityEnabled: flags.itemAvailabilityEnabled,
      writeInProductType,
      writeInProductNo,
      prerequisites: [
        {
          step: SetupStep.INTEGRATION_USER,
          met: integrationUser !== null,
          detail: integrationUser ? `${integrationUser.fullName} (${integrationUser.domainName})` : 'No CRM user is in integration user mode',
          coupled: null,
          uncoupled: null,
        },
        ...(await this.couplingPrerequisites()),
        await this.writeInPrerequisite(writeInProductType, writeInProductNo),
      ],
    };
  }

  async update(change: ConnectionSetupChange, requestedBy: string): Promise<ConnectionSetupState> {
    const current = await this.get();
    const flags = await readConnectionSetup(this.integration);
    const next = {
      salesOrderIntegrationEnabled: change.salesOrderIntegrationEnabled ?? flags.salesOrderIntegrationEnabled,
      autoCreateSalesOrders: change.autoCreateSalesOrders ?? flags.autoCreateSalesOrders,
      itemAvailabilityEnabled: change.itemAvailabilityEnabled ?? flags.itemAvailabilityEnabled,
    };
    if (next.autoCreateSalesOrders && !next.salesOrderIntegrationEnabled) {
      throw refused(ErrorCode.SALES_ORDER_INTEGRATION_DISABLED, 'Automatically Create Sales Orders needs sales order integration turned on', { argument: 'autoCreateSalesOrders' });
    }
    const writeInType = change.writeInProductType ?? current.writeInProductType;
    const writeInNo = change.writeInProductNo === undefined ? current.writeInProductNo : change.writeInProductNo;
    const writeInChanged = writeInType !== current.writeInProductType || writeInNo !== current.writeInProductNo;
    if (writeInChanged && writeInNo !== null) await this.checkWriteInProduct(writeInType, writeInNo);
    const newUser = change.integrationUserId ? await this.checkIntegrationUser(change.integrationUserId) : null;

    await this.integration
      .createQueryBuilder()
      .insert()
      .into(ConnectionSetup)
      .values({ primaryKey: '', ...next, modifiedAt: new Date(), modifiedBy: requestedBy.slice(0, 100) })
      .orUpdate(['sales_order_integration_enabled', 'auto_create_sales_orders', 'item_availability_enabled', 'modified_at', 'modified_by'], ['primary_key'])
      .execute();
    if (writeInChanged) await this.writeSalesReceivablesSetup(writeInType, writeInNo, requestedBy);
    if (newUser && newUser.id !== current.integrationUser?.id) await this.makeIntegrationUser(newUser);
    return this.get();
  }

  private async integrationUsers(): Promise<SystemUser[]> {
    return this.connectors.crm.getByField(this.connectors.crm.table<SystemUser>('system_user'), 'isIntegrationUser', [true]);
  }

  private async salesReceivablesSetup(): Promise<SalesReceivablesSetup | null> {
    const [setup] = await this.connectors.erp.getByField(this.connectors.erp.table<SalesReceivablesSetup>('sales_receivables_setup'), 'primaryKey', ['']);
    return setup ?? null;
  }

  /** Coupled records, and records in scope on one side only, per prerequisite mapping: one statement. */
  private async couplingPrerequisites(): Promise<SetupPrerequisite[]> {
    const rows: Array<{ mapping_name: string; coupled: number; uncoupled: number }> = await this.integration.query(
      `SELECT mapping_name,
              count(*) FILTER (WHERE erp_id IS NOT NULL AND crm_id IS NOT NULL)::int AS coupled,
              count(*) FILTER (WHERE (erp_id IS NULL OR crm_id IS NULL) AND (${LISTED}))::int AS uncoupled
         FROM integration.integration_record WHERE mapping_name = ANY($1) GROUP BY mapping_name`,
      [couplingSteps.map(([, mapping]) => mapping)],
    );
    return couplingSteps.map(([step, mapping]) => {
      const row = rows.find((r) => r.mapping_name === mapping);
      const coupled = row?.coupled ?? 0;
      const uncoupled = row?.uncoupled ?? 0;
      return {
        step,
        met: coupled > 0 && uncoupled === 0,
        detail: `${mapping}: ${coupled} coupled, ${uncoupled} on one side only`,
        coupled,
        uncoupled,
      };
    });
  }

  private async writeInPrerequisite(type: WriteInProductType, no: string | null): Promise<SetupPrerequisite> {
    const base = { step: SetupStep.WRITE_IN_PRODUCT, coupled: null, uncoupled: null };
    if (no === null) return { ...base, met: false, detail: 'The Sales & Receivables Setup names no write-in product' };
    try {
      await this.checkWriteInProduct(type, no);
      return { ...base, met: true, detail: `${type} ${no}` };
    } catch (error) {
      return { ...base, met: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Seed: write-in products map to an item or resource that exists and stands for no CRM product. */
  private async checkWriteInProduct(type: WriteInProductType, no: string): Promise<void> {
    const { table, mapping } = writeInTables[type];
    const [product] = await this.connectors.erp.getByField(this.connectors.erp.table(table), 'no', [no]);
    if (!product) throw notFound(`There is no ${type.toLowerCase()} ${no} in the ERP`, { argument: 'writeInProductNo' });
    const link = await this.integration.getRepository(IntegrationRecord).findOneBy({ mappingName: mapping, erpId: product.systemId });
    if (link?.crmId) {
      throw refused(ErrorCode.WRITE_IN_PRODUCT_COUPLED, `${type.toLowerCase()} ${no} is coupled to a CRM product; a write-in product must stand for no catalogue product`, {
        argument: 'writeInProductNo',
      });
    }
  }

  private async checkIntegrationUser(id: string): Promise<SystemUser> {
    if (!UUID.test(id)) throw badInput(`"${id}" is not a CRM user id`, { argument: 'integrationUserId' });
    const [user] = await this.connectors.crm.getByKeys(this.connectors.crm.table<SystemUser>('system_user'), [id]);
    if (!user) throw notFound(`There is no CRM user ${id}`, { argument: 'integrationUserId' });
    if (user.isDisabled) throw badInput(`${user.fullName} is disabled and cannot be the integration user`, { argument: 'integrationUserId' });
    return user;
  }

  private async writeSalesReceivablesSetup(type: WriteInProductType, no: string | null, requestedBy: string): Promise<void> {
    const existing = await this.salesReceivablesSetup();
    const setup: SalesReceivablesSetup = existing ?? {
      ...this.connectors.erp.blankRecord(this.connectors.erp.table<SalesReceivablesSetup>('sales_receivables_setup'), uuidV5('sales-receivables-setup', SETUP_NAMESPACE)),
      primaryKey: '',
    };
    await this.connectors.erp.bulkUpsert(
      this.connectors.erp.table<SalesReceivablesSetup>('sales_receivables_setup'),
      [{ ...setup, writeInProductType: type, writeInProductNo: no }],
      requestedBy.slice(0, 50),
    );
  }

  /** Dataverse keeps one connection account: the chosen user takes integration user mode from any other. */
  private async makeIntegrationUser(user: SystemUser): Promise<void> {
    const previous = (await this.integrationUsers()).filter((other) => other.id !== user.id);
    await this.connectors.crm.bulkUpsert(
      this.connectors.crm.table<SystemUser>('system_user'),
      [{ ...user, isIntegrationUser: true }, ...previous.map((other) => ({ ...other, isIntegrationUser: false }))],
      user.id,
    );
  }
}
