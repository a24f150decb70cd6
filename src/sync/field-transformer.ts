import { FieldTransformation, type FieldMapping } from '../../entities/integration/field-mapping.entity';
import { SyncDirection } from '../../entities/integration/sync-direction';
import type { TableMapping } from '../../entities/integration/table-mapping.entity';
import type { SystemConnector, SystemName, Table, DomainRecord } from '../connectors/system-connector';
import { unifiedTypes } from '../unify/unified-types';
import { newRecordDefaults } from './new-record-defaults';
import type { References, ReferenceTranslator } from './reference-translator';
import { RunReferences } from './run-references';
import { DerivedIds } from './derived-ids';
import type { DryRun, PlannedCouplings } from './dry-run';
import { sourceRefusal } from './source-rules';

export interface WriteRequest {
  readonly source: DomainRecord;
  /** The coupled record to update, or null to create one. */
  readonly target: DomainRecord | null;
  /** For a record to create: the key it must have (a deleted record restored under its old key). */
  readonly key?: string;
  /** The fields (CRM field names) that flow, when only some do (a per-field merge); the target keeps its other values. */
  readonly fields?: ReadonlySet<string>;
}

export type WriteOutcome = { readonly kind: 'WRITE'; readonly record: DomainRecord; readonly notes: readonly string[] } | { readonly kind: 'SKIP'; readonly reason: string };

/** Records created by synchronisation get ids derived from their source, so a retried run creates nothing twice. */
const createdRecordIds = new DerivedIds('6f1c3d52-2a39-4a6e-9a0e-7f4f2b0f9c11');

/** The key of the record a synchronisation creates in the other system for the record `sourceKey` of `from`. */
export const createdRecordKey = (mappingName: string, from: SystemName, sourceKey: string): string => createdRecordIds.of(`${mappingName}/${from}/${sourceKey}`);

type Translation = (values: readonly DomainRecord[]) => Promise<(value: unknown, source: DomainRecord) => unknown>;

const present = (value: unknown) => value !== null && value !== undefined && value !== '';

/** Whether a write to `to` writes the field: it is enabled, its direction lets it flow there, and it has a field on that side. */
export const writtenTo = (field: FieldMapping, to: SystemName): boolean =>
  field.enabled &&
  (field.direction === SyncDirection.BIDIRECTIONAL || field.direction === (to === 'crm' ? SyncDirection.TO_CRM : SyncDirection.FROM_CRM)) &&
  (to === 'crm' || field.erpField !== null);

/** The field a write to `to` writes. */
export const targetFieldOf = (field: FieldMapping, to: SystemName): string => (to === 'crm' ? field.crmField : field.erpField!);

/**
 * Builds destination records from source records through a mapping's field mappings, in batches:
 * references are translated through couplings and option codes through option mappings for a
 * whole chunk at once. A reference that is not coupled makes the record skipped, with the reason.
 */
export class FieldTransformer {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly translator: ReferenceTranslator,
  ) {}

  /**
   * A synchronisation run's own references, which remember what they have translated: the run's
   * chunks mostly name the same few salespeople, currencies and options.
   */
  referencesForRun(planned?: PlannedCouplings): References {
    return new RunReferences(planned ? planned.references(this.translator) : this.translator);
  }

  async transform(
    mapping: TableMapping,
    fields: readonly FieldMapping[],
    to: SystemName,
    requests: readonly WriteRequest[],
    references: References = this.translator,
    dryRun: DryRun | null = null,
  ): Promise<WriteOutcome[]> {
    const from: SystemName = to === 'crm' ? 'erp' : 'crm';
    const active = fields.filter((field) => writtenTo(field, to));
    const sourceField = (f: FieldMapping) => (from === 'erp' ? f.erpField : f.crmField);
    const sources = requests.map((request) => request.source);
    const translated = active.filter(
      (field) => field.constantValue === null && field.transformation !== FieldTransformation.NONE && field.transformation !== FieldTransformation.TRUNCATE,
    );
    const translations = new Map(
      await Promise.all(translated.map(async (field) => [field, await this.translation(references, mapping, field, to, sourceField(field)!)(sources)] as const)),
    );
    const destinationTable = this.connectors[to].table(to === 'crm' ? mapping.crmTable : mapping.erpTable);
    const sourceTable = this.connectors[from].table(from === 'erp' ? mapping.erpTable : mapping.crmTable);
    const defaults = newRecordDefaults(to, to === 'crm' ? mapping.crmTable : mapping.erpTable);
    const erpCodeField = to === 'erp' ? this.erpCodeField(mapping) : undefined;
    // What each field does, worked out once per batch: the loop below runs for every record.
    const steps = active.map((field) => ({
      field,
      target: targetFieldOf(field, to),
      source: sourceField(field)!,
      translate: translations.get(field),
      limit: field.transformation === FieldTransformation.TRUNCATE ? this.connectors[to].maxLength(destinationTable, targetFieldOf(field, to)) : null,
    }));

    const built = requests.map((request): WriteOutcome => {
      const refusal = sourceRefusal(mapping.name, from, request.source);
      if (refusal) return { kind: 'SKIP', reason: refusal };
      const key = request.target
        ? this.connectors[to].keyOf(destinationTable, request.target)
        : (request.key ?? createdRecordKey(mapping.name, from, this.connectors[from].keyOf(sourceTable, request.source)));
      const record: DomainRecord = request.target ? { ...request.target } : Object.assign(this.connectors[to].blankRecord(destinationTable, key), defaults);
      const notes: string[] = [];
      for (let index = 0; index < steps.length; index += 1) {
        const { field, target, source, translate, limit } = steps[index]!;
        if (request.fields && field.constantValue === null && !request.fields.has(field.crmField)) continue;
        if (field.constantValue !== null) {
          record[target] = field.constantValue;
          continue;
        }
        const value = request.source[source];
        if (!translate) {
          record[target] = limit !== null && typeof value === 'string' ? value.slice(0, limit) : (value ?? null);
          continue;
        }
        const translated = present(value) ? translate(value, request.source) : null;
        if (present(value) && translated === undefined) {
          if (field.transformation === FieldTransformation.OPTION) {
            notes.push(`${field.transformationSource} ${String(value)} has no CRM option; ${target} left blank`);
            record[target] = null;
            continue;
          }
          return { kind: 'SKIP', reason: `${field.transformationSource} ${String(value)} (${source}) is not coupled` };
        }
        record[target] = translated ?? null;
      }
      return { kind: 'WRITE', record, notes };
    });
    // An ERP record needs its code or No.; one made from a CRM record without a number takes the next of its number series.
    const unnumbered = erpCodeField ? built.flatMap((outcome) => (outcome.kind === 'WRITE' && !present(outcome.record[erpCodeField]) ? [outcome.record] : [])) : [];
    const refusals = unnumbered.length > 0 ? await this.number(destinationTable, mapping.erpTable, erpCodeField!, unnumbered, dryRun) : new Map<DomainRecord, string>();
    return built.map((outcome): WriteOutcome => {
      if (outcome.kind === 'SKIP') return outcome;
      const refusal = refusals.get(outcome.record);
      if (refusal) return { kind: 'SKIP', reason: refusal };
      const missing = this.connectors[to].missingRequired(destinationTable, outcome.record);
      if (missing.length > 0) return { kind: 'SKIP', reason: `${missing.join(', ')} would be empty in the ${to.toUpperCase()}` };
      return outcome;
    });
  }

  /**
   * Gives ERP records to create their numbers. One written before under the same key (a run tried
   * again after a failure) keeps the number it got; the others take the next numbers of the
   * table's number series. Returns why a record could not be numbered. A dry run takes none: it
   * looks at the numbers a run would take, after those its earlier chunks would have.
   */
  private async number(table: Table<DomainRecord>, tableName: string, field: string, records: DomainRecord[], dryRun: DryRun | null): Promise<Map<DomainRecord, string>> {
    const erp = this.connectors.erp;
    const existing = new Map(
      (
        await erp.getByKeys(
          table,
          records.map((record) => erp.keyOf(table, record)),
        )
      ).map((record) => [erp.keyOf(table, record), record[field] as string]),
    );
    const fresh = records.filter((record) => {
      const number = existing.get(erp.keyOf(table, record));
      if (number !== undefined) record[field] = number;
      return number === undefined;
    });
    if (fresh.length === 0) return new Map();
    const numbers = await erp.takeNumbers(table, field, fresh.length, dryRun ? { after: dryRun.numbersBefore(tableName, fresh.length) } : undefined);
    if (!numbers) return new Map(fresh.map((record) => [record, `No number series numbers new ERP ${tableName} records, so ${field} would be empty`]));
    fresh.forEach((record, index) => (record[field] = numbers[index]));
    return new Map();
  }

  private erpCodeField(mapping: TableMapping): string | undefined {
    return Object.values(unifiedTypes).find((type) => type.mappingName === mapping.name)?.erpCodeField ?? undefined;
  }

  /** How one field's references translate; most go through one mapping's couplings, a few take a path. */
  private translation(references: References, mapping: TableMapping, field: FieldMapping, to: SystemName, from: string): Translation {
    const source = field.transformationSource!;
    const valuesOf = (records: readonly DomainRecord[]) =>
      records
        .map((record) => record[from])
        .filter(present)
        .map(String);
    if (field.transformation === FieldTransformation.OPTION) {
      return async (records) => {
        const values = await references.optionValues(source, valuesOf(records));
        return (value) => values.get(String(value));
      };
    }
    const special = `${mapping.name}.${field.erpField}`;
    if (special === 'CONTACT.companyNo') return to === 'crm' ? this.companyToAccount(references, valuesOf) : this.accountToCompany(references, valuesOf);
    if (special === 'SALESPRC-PRODPRICE.unitOfMeasureCode' && to === 'crm') return this.unitOfMeasureToUnit(references, valuesOf);
    if (special === 'POSTEDSALESLINE-INV.no' && to === 'crm') {
      return async (records) => {
        const [items, resources] = await Promise.all([
          references.codesToCrm('ITEM-PRODUCT', valuesOf(records.filter((r) => r.type === 'ITEM'))),
          references.codesToCrm('RESOURCE-PRODUCT', valuesOf(records.filter((r) => r.type === 'RESOURCE'))),
        ]);
        return (value, line) => (line.type === 'RESOURCE' ? resources : items).get(String(value));
      };
    }
    return async (records) => {
      const values = to === 'crm' ? await references.codesToCrm(source, valuesOf(records)) : await references.crmToCodes(source, valuesOf(records));
      return (value) => values.get(String(value));
    };
  }

  /** An ERP person's company is a company contact, linked to a customer: the CRM parent is that customer's account. */
  private companyToAccount(references: References, valuesOf: (records: readonly DomainRecord[]) => string[]): Translation {
    return async (records) => {
      const companies = await references.erpRecordsBy('contact', 'no', valuesOf(records));
      const accounts = await references.codesToCrm('CUSTOMER', companies.map((company) => company.customerNo).filter(present));
      const accountOf = new Map(companies.map((company) => [company.no as string, accounts.get(company.customerNo as string)]));
      return (value) => accountOf.get(String(value));
    };
  }

  private accountToCompany(references: References, valuesOf: (records: readonly DomainRecord[]) => string[]): Translation {
    return async (records) => {
      const customers = await references.crmToCodes('CUSTOMER', valuesOf(records));
      const companies = await references.erpRecordsBy('contact', 'customerNo', [...customers.values()]);
      const companyOf = new Map(companies.filter((c) => c.type === 'COMPANY').map((company) => [company.customerNo as string, company.no as string]));
      return (value) => {
        const customerNo = customers.get(String(value));
        return customerNo === undefined ? undefined : companyOf.get(customerNo);
      };
    };
  }

  /** A unit group holds exactly one unit: a price's unit of measure becomes that unit. */
  private unitOfMeasureToUnit(references: References, valuesOf: (records: readonly DomainRecord[]) => string[]): Translation {
    return async (records) => {
      const groups = await references.codesToCrm('UNIT OF MEASURE', valuesOf(records));
      const units = await references.crmRecordsBy('unit', 'unitGroupId', [...groups.values()]);
      return (value) => {
        const group = groups.get(String(value));
        const inGroup = units.filter((unit) => unit.unitGroupId === group);
        return inGroup.length === 1 ? inGroup[0]!.id : undefined;
      };
    };
  }
}
