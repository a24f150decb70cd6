import type { RequestLoaders } from '../loaders/request-loaders';
import type { UnifiedRecords } from './unified-records';

/** What a request reads records through: its loaders, batched and cached for the request. */
export interface RequestReads {
  readonly loaders: RequestLoaders;
  readonly records: UnifiedRecords;
}
