import type { DataSource } from 'typeorm';
import type { JobCounters } from '../jobs/job-counters';

/** New couplings a pass writes before it has the mappings' records counted again. */
const RECOUNT_AFTER = 1_000;

/**
 * PostgreSQL's planner estimates a mapping's integration records from the last ANALYZE. One taken
 * while the mapping had none (before its first full synchronisation, or after its couplings were
 * removed) makes every index that starts with the mapping's name look as cheap as the unique key
 * for a lookup by record key, and the planner may take one that reads all of the mapping's records
 * for each lookup: a full synchronisation of 100,000 customers fell to 300 records/s. Autovacuum
 * analyzes again only once a tenth of the table has changed, so a pass that has coupled
 * RECOUNT_AFTER records has the mapping names counted again, once (one column: about 0.2 s on
 * 800,000 records).
 */
export class MappingStatistics {
  constructor(private readonly integration: DataSource) {}

  /** A pass's counter of new couplings: call it with each committed chunk's counters. */
  forPass(): (chunk: JobCounters) => Promise<void> {
    let coupled = 0;
    return async (chunk) => {
      if (coupled >= RECOUNT_AFTER) return;
      coupled += (chunk.inserted ?? 0) + (chunk.coupled ?? 0);
      if (coupled < RECOUNT_AFTER) return;
      // Statistics are an aid: a pass goes on without them (a role that may not analyze gets a warning, not an error).
      await this.integration.query('ANALYZE integration.integration_record (mapping_name)').catch(() => undefined);
    };
  }
}
