import type { DomainRecord } from '../connectors/system-connector';
import type { References } from './reference-translator';

/**
 * How many translations of one kind a run remembers before it starts afresh: enough for every
 * salesperson, currency and option of a company, while references to records of a large table (a
 * contact's company among a million customers) cannot make a run's memory grow with its size.
 */
const REMEMBERED_PER_KIND = 20_000;

/**
 * The references one synchronisation run has translated, and the lookups for those it has not. A
 * run's chunks name the same few salespeople, currencies and options again and again; asking the
 * stores for them once per chunk put five lookups on the path of every chunk's write. What a run
 * found (or found missing: a salesperson with no coupling) holds for the rest of that run, as
 * everything it read at its start does; the next run looks again.
 */
export class RunReferences implements References {
  private readonly remembered = new Map<string, Map<string, unknown>>();

  constructor(private readonly lookups: References) {}

  codesToCrm(mappingName: string, codes: readonly string[]): Promise<Map<string, string>> {
    return this.translate(`codes-to-crm/${mappingName}`, codes, (missing) => this.lookups.codesToCrm(mappingName, missing));
  }

  crmToCodes(mappingName: string, keys: readonly string[]): Promise<Map<string, string>> {
    return this.translate(`crm-to-codes/${mappingName}`, keys, (missing) => this.lookups.crmToCodes(mappingName, missing));
  }

  optionValues(optionMappingName: string, codes: readonly string[]): Promise<Map<string, number>> {
    return this.translate(`options/${optionMappingName}`, codes, (missing) => this.lookups.optionValues(optionMappingName, missing));
  }

  // Whole records are only looked up, not remembered: they are the referenced records themselves, one per referring record.
  erpRecordsBy(tableName: string, field: string, values: readonly unknown[]): Promise<DomainRecord[]> {
    return this.lookups.erpRecordsBy(tableName, field, values);
  }

  crmRecordsBy(tableName: string, field: string, values: readonly unknown[]): Promise<DomainRecord[]> {
    return this.lookups.crmRecordsBy(tableName, field, values);
  }

  private async translate<V>(kind: string, keys: readonly string[], lookUp: (missing: string[]) => Promise<Map<string, V>>): Promise<Map<string, V>> {
    let memory = this.remembered.get(kind) as Map<string, V | null> | undefined;
    if (!memory || memory.size > REMEMBERED_PER_KIND) {
      memory = new Map();
      this.remembered.set(kind, memory);
    }
    const missing = [...new Set(keys)].filter((key) => !memory.has(key));
    if (missing.length > 0) {
      const found = await lookUp(missing);
      for (const key of missing) memory.set(key, found.get(key) ?? null);
    }
    const translated = new Map<string, V>();
    for (const key of keys) {
      const value = memory.get(key);
      if (value !== null && value !== undefined) translated.set(key, value);
    }
    return translated;
  }
}
