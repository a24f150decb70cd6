import type { DataSource } from 'typeorm';
import type { IntegrationRecord } from '../../entities/integration/integration-record.entity';
import type { SystemConnector, SystemName, DomainRecord } from '../connectors/system-connector';
import { linksByKey } from './links-by-key';
import type { PairState } from './sync-decision';
import type { RunContext } from './sync-run';

/** Loads what the rules decide on: records with their coupling and their counterpart, one batch per table. */
export class PairLoader {
  constructor(
    private readonly connectors: Readonly<Record<SystemName, SystemConnector>>,
    private readonly integration: DataSource,
  ) {}

  /** Integration records with whichever of their sides still exist. */
  async pairsOfLinks(run: RunContext, links: readonly IntegrationRecord[]): Promise<Array<PairState & { link: IntegrationRecord }>> {
    const [erps, crms] = await Promise.all([
      this.connectors.erp.getByKeys(
        run.tables.erp,
        links.flatMap((l) => (l.erpId ? [l.erpId] : [])),
      ),
      this.connectors.crm.getByKeys(
        run.tables.crm,
        links.flatMap((l) => (l.crmId ? [l.crmId] : [])),
      ),
    ]);
    const erpOf = new Map(erps.map((r) => [this.connectors.erp.keyOf(run.tables.erp, r), r]));
    const crmOf = new Map(crms.map((r) => [this.connectors.crm.keyOf(run.tables.crm, r), r]));
    return links.map((link) => ({ link, erp: (link.erpId && erpOf.get(link.erpId)) || null, crm: (link.crmId && crmOf.get(link.crmId)) || null }));
  }

  /**
   * Each changed record with its coupling and its counterpart. Records that `wanted` turns down on
   * their coupling alone are left out before any counterpart is loaded.
   */
  async pairsOf(
    run: RunContext,
    side: SystemName,
    chunk: DomainRecord[],
    wanted: ((link: IntegrationRecord | null, record: DomainRecord) => boolean) | null,
  ): Promise<PairState[]> {
    const other: SystemName = side === 'erp' ? 'crm' : 'erp';
    const keys = chunk.map((record) => this.connectors[side].keyOf(run.tables[side], record));
    const links = await linksByKey(this.integration, run.mapping.name, side === 'erp' ? 'erpId' : 'crmId', keys);
    const linkOf = new Map(links.map((link) => [side === 'erp' ? link.erpId : link.crmId, link]));
    const kept = wanted ? chunk.filter((record, index) => wanted(linkOf.get(keys[index]!) ?? null, record)) : chunk;
    const keptKeys = kept === chunk ? keys : kept.map((record) => this.connectors[side].keyOf(run.tables[side], record));
    const counterpartKeys = keptKeys.flatMap((key) => {
      const link = linkOf.get(key);
      const counterpartKey = link ? (side === 'erp' ? link.crmId : link.erpId) : null;
      return counterpartKey ? [counterpartKey] : [];
    });
    const counterparts = await this.connectors[other].getByKeys(run.tables[other], counterpartKeys);
    const counterpartOf = new Map(counterparts.map((record) => [this.connectors[other].keyOf(run.tables[other], record), record]));
    return kept.map((record, index) => {
      const link = linkOf.get(keptKeys[index]!) ?? null;
      const counterpartKey = link ? (side === 'erp' ? link.crmId : link.erpId) : null;
      const counterpart = counterpartKey ? (counterpartOf.get(counterpartKey) ?? null) : null;
      return {
        link,
        erp: side === 'erp' ? record : counterpart,
        crm: side === 'crm' ? record : counterpart,
      };
    });
  }
}
