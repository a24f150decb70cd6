import type { SystemName } from '../connectors/system-connector';
import type { FieldChoice } from './field-merge';
import type { SyncMode, SyncResolution } from './sync-mode';

/**
 * One run of the engine as it was asked for, in a form that can wait in the job engine's queue
 * when its mapping is busy and be run later by a worker.
 */
export type SyncRequest =
  | { readonly kind: 'mapping'; readonly mappingName: string; readonly mode: SyncMode }
  | {
      readonly kind: 'records';
      readonly mappingName: string;
      readonly keys: Readonly<Record<SystemName, readonly string[]>>;
      /** With a direction, a coupled pair is copied that way whether or not it changed. */
      readonly forced: SystemName | null;
      /** Uncoupled records get a counterpart whatever the mapping's syncOnlyCoupledRecords (asked for explicitly). */
      readonly createUncoupled: boolean;
    }
  | {
      readonly kind: 'resolve';
      readonly mappingName: string;
      readonly linkIds: readonly string[];
      readonly resolution: SyncResolution;
      /** An operator's side per field in conflict (CRM field → side); the fields not named take `resolution`'s side. */
      readonly fieldChoices?: Readonly<Record<string, FieldChoice>>;
    };
