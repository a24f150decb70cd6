import type { SystemName, DomainRecord } from '../connectors/system-connector';

/** ISO 4217 codes as the runtime's Intl knows them. */
const STANDARD_CURRENCIES = new Set(Intl.supportedValuesOf('currency'));

/**
 * Why a source record may not be synchronised at all, beyond the mapping's filter; null when it
 * may. Seed: "Only currencies that have a standard ISO code will be coupled and synchronised".
 */
export function sourceRefusal(mappingName: string, from: SystemName, record: DomainRecord): string | null {
  if (mappingName === 'CURRENCY' && from === 'erp' && !STANDARD_CURRENCIES.has(String(record.isoCode))) {
    return `${String(record.isoCode)} is not a standard ISO currency code`;
  }
  return null;
}
