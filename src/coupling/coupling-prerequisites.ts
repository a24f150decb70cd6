import type { DataSource } from 'typeorm';
import { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { refused } from '../errors/domain-error';
import { ErrorCode } from '../errors/error-codes';
import { standardTableMappings } from '../mappings/standard-mappings';
import { sourceRefusal } from '../sync/source-rules';
import { writeInProductNo } from '../sync/write-in-product';

/** A record of another mapping that must be coupled first, found through an ERP code. */
interface Prerequisite {
  readonly mappingName: string;
  /** The field of the ERP record holding the code, and the code field of the referenced table. */
  readonly erpField: string;
  readonly codeField: string;
  readonly why: string;
}

const needs = (mappingName: string, erpField: string, codeField: string, why: string): Prerequisite => ({ mappingName, erpField, codeField, why });

/**
 * Seed, "Coupling Records": what must be coupled before a record of each mapping can be
 * (salespeople before customers, units before items and resources, price groups before prices,
 * currencies before anything priced in a foreign currency).
 */
const prerequisites: Readonly<Record<string, readonly Prerequisite[]>> = {
  CUSTOMER: [
    needs('SALESPEOPLE', 'salespersonCode', 'code', 'the salesperson assigned to a customer must be coupled to a CRM user first'),
    needs('CURRENCY', 'currencyCode', 'code', 'a customer in a foreign currency needs its currency coupled first'),
  ],
  CONTACT: [needs('SALESPEOPLE', 'salespersonCode', 'code', 'the salesperson decides the owner of the CRM contact, so it must be coupled first')],
  'ITEM-PRODUCT': [needs('UNIT OF MEASURE', 'baseUnitOfMeasure', 'code', "an item's base unit of measure must be coupled to a unit group first")],
  'RESOURCE-PRODUCT': [needs('UNIT OF MEASURE', 'baseUnitOfMeasure', 'code', "a resource's base unit of measure must be coupled to a unit group first")],
  'SALESPRC-PRODPRICE': [
    needs('CUSTPRCGRP-PRICE', 'salesCode', 'code', 'the customer price group must be coupled to a price list first'),
    needs('ITEM-PRODUCT', 'itemNo', 'no', 'the item must be coupled to a product first'),
    needs('CURRENCY', 'currencyCode', 'code', 'a price in a foreign currency needs its currency coupled first'),
  ],
  OPPORTUNITY: [
    needs('CUSTOMER', 'customerNo', 'no', "the opportunity's customer must be coupled first"),
    needs('SALESPEOPLE', 'salespersonCode', 'code', 'the salesperson decides the owner of the CRM opportunity, so it must be coupled first'),
  ],
  'POSTEDSALESINV-INV': [
    needs('CUSTOMER', 'sellToCustomerNo', 'no', "the invoice's customer must be coupled first"),
    needs('SALESPEOPLE', 'salespersonCode', 'code', 'the salesperson decides the owner of the CRM invoice, so it must be coupled first'),
    needs('CURRENCY', 'currencyCode', 'code', 'an invoice in a foreign currency needs its currency coupled first'),
  ],
  'POSTEDSALESLINE-INV': [needs('POSTEDSALESINV-INV', 'documentNo', 'no', 'the invoice must be coupled before its lines')],
};

/**
 * Checks that two records may be coupled: what they depend on is coupled already, and they are
 * the same thing where the seed says how to tell (currencies by ISO code, unit groups with one unit).
 */
export class CouplingPrerequisites {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
  ) {}

  async check(mappingName: string, erp: DomainRecord, crm: DomainRecord): Promise<void> {
    for (const prerequisite of prerequisites[mappingName] ?? []) await this.checkCoupled(prerequisite, erp);
    const writeInNo = await writeInProductNo(this.connectors.erp, mappingName);
    if (writeInNo !== null && erp.no === writeInNo) {
      throw refused(
        ErrorCode.WRITE_IN_PRODUCT_NOT_SYNCHRONISED,
        `${writeInNo} is the write-in product of CRM sales orders (Sales & Receivables Setup); it stands for products the CRM does not have and is never coupled`,
      );
    }
    const refusal = sourceRefusal(mappingName, 'erp', erp);
    if (refusal) throw refused(ErrorCode.RECORD_OUTSIDE_MAPPING, refusal);
    if (mappingName === 'CURRENCY' && erp.isoCode !== crm.isoCurrencyCode) {
      throw refused(ErrorCode.RECORDS_DO_NOT_MATCH, `Currencies couple on their ISO code: ${erp.code} has ${erp.isoCode}, the CRM currency ${crm.isoCurrencyCode}`);
    }
    if (mappingName === 'UNIT OF MEASURE') {
      const units = await this.connectors.crm.getByField(this.connectors.crm.table('unit'), 'unitGroupId', [crm.id]);
      if (units.length !== 1) {
        throw refused(ErrorCode.RECORDS_DO_NOT_MATCH, `A unit of measure couples to a unit group holding exactly one unit; "${crm.name}" holds ${units.length}`);
      }
    }
  }

  private async checkCoupled(prerequisite: Prerequisite, erp: DomainRecord): Promise<void> {
    const code: unknown = erp[prerequisite.erpField];
    if (code === null || code === undefined || code === '') return;
    const mapping = standardTableMappings.find((m) => m.name === prerequisite.mappingName)!;
    const table = this.connectors.erp.table(mapping.erpTable);
    const [referenced] = await this.connectors.erp.getByField(table, prerequisite.codeField, [code]);
    const link = referenced
      ? await this.integration.getRepository(IntegrationRecord).findOneBy({
          mappingName: prerequisite.mappingName,
          erpId: this.connectors.erp.keyOf(table, referenced),
        })
      : null;
    const coupled = link !== null && link.crmId !== null;
    if (!coupled) {
      throw refused(ErrorCode.PREREQUISITE_NOT_COUPLED, `${prerequisite.mappingName} ${String(code)} is not coupled: ${prerequisite.why}`, {
        prerequisite: prerequisite.mappingName,
        reference: String(code),
      });
    }
  }
}
