import { FieldResolver, Resolver, Root } from 'type-graphql';
import { SyncProgressEvent } from '../src/progress/progress-event';
import { RunProgressType } from './run-progress.type';

@Resolver(() => SyncProgressEvent)
export class SyncProgressResolver {
  @FieldResolver(() => RunProgressType, {
    nullable: true,
    description: "The full synchronisation as a whole (processed, total, rate and ETA of all its jobs), on every event of a run; recordsPerSecond and etaSeconds are the job's.",
  })
  runProgress(@Root() event: SyncProgressEvent) {
    return event.runProgress ?? null;
  }
}
