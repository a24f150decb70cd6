import type { UnifiedRecords } from '../unify/unified-records';
import type { RequestLoaders } from './request-loaders';

/** What a request reads records through: its loaders, batched and cached for the request. */
export interface RequestReads {
  readonly loaders: RequestLoaders;
  readonly records: UnifiedRecords;
}
