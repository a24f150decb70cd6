import { Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { SyncDirection } from '../entities/integration/sync-direction';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { DuplicateAction } from '../src/duplicates/possible-duplicate.service';
import { Connection } from './common/connection.type';

registerEnumType(DuplicateAction, {
  name: 'DuplicateAction',
  description: 'What to do with a record held for duplicate review.',
  valuesConfig: {
    COUPLE: { description: 'It is the chosen candidate: couple the two and synchronise the pair.' },
    CREATE: { description: 'It is none of its candidates: create its counterpart now.' },
    IGNORE: { description: 'It is not the chosen candidate (any of them when none is chosen): off the queue, and never held for that candidate again.' },
  },
});

@ObjectType('DuplicateCandidate', { description: 'A record of the other system that a held record may duplicate, and why.' })
export class DuplicateCandidateType {
  @Field(() => ID, { description: 'The candidate (node(id:) finds it).' })
  recordId!: string;

  @Field(() => Float, { description: "0 to 1: 1 when the mapping's match fields are all equal, else the names' trigram similarity, raised by what corroborates it." })
  score!: number;

  @Field({ description: 'Every match field of the mapping holds the same value (case aside).' })
  sameMatchFields!: boolean;

  @Field(() => Float, { description: 'Trigram similarity of the names, case, punctuation and legal forms set aside.' })
  nameSimilarity!: number;

  @Field(() => Boolean, { nullable: true, description: 'Same phone number, digits only; null when either has none.' })
  samePhone!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Same e-mail domain; null when either has none.' })
  sameEmailDomain!: boolean | null;

  @Field(() => Float, { nullable: true, description: 'Trigram similarity of the addresses; null when either has none.' })
  addressSimilarity!: number | null;
}

@ObjectType('PossibleDuplicate', { description: 'A record a synchronisation held instead of creating its counterpart, because the other system may hold it already.' })
export class PossibleDuplicateType {
  @Field(() => ID)
  id!: string;

  @Field()
  mappingName!: string;

  @Field(() => ID, { description: 'The held record (node(id:) finds it).' })
  recordId!: string;

  @Field(() => SyncDirection, { description: 'TO_CRM: the record is in the ERP and its CRM counterpart was not created; FROM_CRM: the other way round.' })
  direction!: SyncDirection;

  @Field()
  heldAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The job that held it.' })
  jobId!: string | null;

  @Field(() => [DuplicateCandidateType], { description: 'Best first.' })
  candidates!: DuplicateCandidateType[];
}

export const PossibleDuplicateConnection = Connection('PossibleDuplicate', PossibleDuplicateType);

@ObjectType({ description: 'What resolvePossibleDuplicate did.' })
export class PossibleDuplicateResolution {
  @Field(() => DuplicateAction)
  action!: DuplicateAction;

  @Field(() => ID, { description: 'The held record; after COUPLE, the coupled pair.' })
  recordId!: string;

  @Field(() => SyncJob, { nullable: true, description: 'COUPLE: the coupling job.' })
  job!: SyncJob | null;

  @Field(() => SyncJob, { nullable: true, description: 'COUPLE and CREATE: the synchronisation of the record.' })
  syncJob!: SyncJob | null;
}
