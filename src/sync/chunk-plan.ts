import type { SystemName } from '../connectors/system-connector';
import type { FieldMerge } from './field-merge';
import type { WriteOutcome } from './field-transformer';
import type { ChangedSides, PairState } from './sync-decision';

/** One record to write, as a chunk's plan holds it. */
export interface PlannedWrite {
  readonly pair: PairState;
  readonly to: SystemName;
  readonly create: boolean;
  readonly outcome: WriteOutcome;
}

/** A coupled pair decided field by field, with what it writes to each side. */
export interface PlannedMerge {
  readonly pair: PairState;
  readonly merge: FieldMerge;
  readonly changed: ChangedSides;
  readonly outcomes: Partial<Record<SystemName, WriteOutcome>>;
}
