import type { DataSource } from 'typeorm';
import { In } from 'typeorm';
import { OptionCoupling } from '../../entities/integration/option-coupling.entity';
import { linksByKey } from './links-by-key';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { standardTableMappings } from '../mappings/standard-mappings';
import { unifiedTypes, type UnifiedType } from '../unify/unified-types';

function typeOfMapping(mappingName: string): UnifiedType {
  const type = Object.values(unifiedTypes).find((t) => t.mappingName === mappingName);
  if (!type?.erpCodeField) throw new Error(`Mapping ${mappingName} has no ERP code to translate`);
  return type;
}

/** The lookups that translating a batch of records' references needs. */
export interface References {
  codesToCrm(mappingName: string, codes: readonly string[]): Promise<Map<string, string>>;
  crmToCodes(mappingName: string, keys: readonly string[]): Promise<Map<string, string>>;
  optionValues(optionMappingName: string, codes: readonly string[]): Promise<Map<string, number>>;
  erpRecordsBy(tableName: string, field: string, values: readonly unknown[]): Promise<DomainRecord[]>;
  crmRecordsBy(tableName: string, field: string, values: readonly unknown[]): Promise<DomainRecord[]>;
}

/**
 * Translates references between the systems in batches: an ERP code (a salesperson code, a
 * currency code…) to the key of the CRM record coupled to the ERP record with that code, and
 * back; and ERP option codes to CRM option values. A reference with no coupling translates to
 * nothing, and the caller decides what that means.
 */
export class ReferenceTranslator implements References {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
  ) {}

  /** ERP codes of `mappingName`'s ERP table → CRM keys of the coupled records. */
  async codesToCrm(mappingName: string, codes: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(codes)];
    if (wanted.length === 0) return new Map();
    const type = typeOfMapping(mappingName);
    const table = this.connectors.erp.table(type.erpTable);
    const records = await this.connectors.erp.getByField(table, type.erpCodeField!, wanted);
    const codeOf = new Map(records.map((record) => [this.connectors.erp.keyOf(table, record), String(record[type.erpCodeField!])]));
    const links = await linksByKey(this.integration, mappingName, 'erpId', [...codeOf.keys()]);
    return new Map(links.filter((link) => link.crmId).map((link) => [codeOf.get(link.erpId!)!, link.crmId!]));
  }

  /** CRM keys of `mappingName`'s CRM table → codes of the coupled ERP records. */
  async crmToCodes(mappingName: string, keys: readonly string[]): Promise<Map<string, string>> {
    const wanted = [...new Set(keys)];
    if (wanted.length === 0) return new Map();
    const type = typeOfMapping(mappingName);
    const links = (await linksByKey(this.integration, mappingName, 'crmId', wanted)).filter((link) => link.erpId);
    const table = this.connectors.erp.table(type.erpTable);
    const records = await this.connectors.erp.getByKeys(
      table,
      links.map((link) => link.erpId!),
    );
    const codeOf = new Map(records.map((record) => [this.connectors.erp.keyOf(table, record), String(record[type.erpCodeField!])]));
    return new Map(links.filter((link) => codeOf.has(link.erpId!)).map((link) => [link.crmId!, codeOf.get(link.erpId!)!]));
  }

  /** ERP codes of an option mapping → CRM option values. */
  async optionValues(optionMappingName: string, codes: readonly string[]): Promise<Map<string, number>> {
    const wanted = [...new Set(codes)];
    if (wanted.length === 0) return new Map();
    const rows = await this.integration.getRepository(OptionCoupling).findBy({ optionMappingName, erpCode: In(wanted) });
    return new Map(rows.map((row) => [row.erpCode, row.crmValue]));
  }

  /** The ERP records of a table whose `field` holds one of `values`. */
  erpRecordsBy(tableName: string, field: string, values: readonly unknown[]): Promise<DomainRecord[]> {
    return this.connectors.erp.getByField(this.connectors.erp.table(tableName), field, [...new Set(values)]);
  }

  /** The CRM records of a table whose `field` holds one of `values`. */
  crmRecordsBy(tableName: string, field: string, values: readonly unknown[]): Promise<DomainRecord[]> {
    return this.connectors.crm.getByField(this.connectors.crm.table(tableName), field, [...new Set(values)]);
  }
}

export const erpTableOf = (mappingName: string) => standardTableMappings.find((m) => m.name === mappingName)!.erpTable;
