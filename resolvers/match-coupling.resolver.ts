import { Arg, Authorized, Ctx, Field, ID, InputType, Int, Mutation, ObjectType, Resolver, registerEnumType } from 'type-graphql';
import { SyncJob } from '../entities/integration/sync-job.entity';
import { Role } from '../src/auth/role';
import type { MatchOutcomeKind } from '../src/coupling/match-coupling.service';
import type { GatewayContext } from './common/gateway-context';

enum MatchOutcome {
  COUPLED = 'COUPLED',
  CREATED = 'CREATED',
  NO_MATCH = 'NO_MATCH',
  AMBIGUOUS = 'AMBIGUOUS',
  ALREADY_COUPLED = 'ALREADY_COUPLED',
}

registerEnumType(MatchOutcome, { name: 'MatchOutcome' });

@InputType({ description: "Match-based coupling of one table mapping's uncoupled records." })
class CoupleByMatchInput {
  @Field(() => ID)
  mapping!: string;

  @Field(() => [ID], { nullable: true, description: "Only these ERP records (unified ids); all uncoupled records in the mapping's filter when left out." })
  erpIds?: string[] | null;

  @Field(() => [[String]], {
    nullable: true,
    description: 'Sets of ERP match fields, tried in priority order until one finds a match; all match fields together when left out.',
  })
  criteria?: string[][] | null;

  @Field({ defaultValue: false })
  caseSensitive!: boolean;

  @Field({ defaultValue: false, description: 'Create the CRM record when nothing matches.' })
  createIfNoMatch!: boolean;

  @Field({ defaultValue: false, description: 'Synchronise each new coupling right away.' })
  syncAfterCoupling!: boolean;

  @Field({ defaultValue: false, description: 'Report what would happen and write nothing.' })
  dryRun!: boolean;
}

@ObjectType()
class MatchCounts {
  @Field(() => Int)
  coupled!: number;

  @Field(() => Int)
  created!: number;

  @Field(() => Int)
  noMatch!: number;

  @Field(() => Int, { description: 'More than one candidate: never coupled.' })
  ambiguous!: number;

  @Field(() => Int)
  alreadyCoupled!: number;
}

@ObjectType({ description: 'An example of one outcome.' })
class MatchSampleType {
  @Field(() => MatchOutcome)
  kind!: MatchOutcomeKind;

  @Field(() => ID)
  erpRecordId!: string;

  @Field(() => [ID], { description: 'The candidate CRM records.' })
  crmRecordIds!: string[];

  @Field(() => [String], { nullable: true, description: 'The criteria set that found them.' })
  criteria!: string[] | null;
}

@ObjectType()
class CoupleByMatchResult {
  @Field(() => MatchCounts)
  counts!: MatchCounts;

  @Field(() => [MatchSampleType], { description: 'Up to ten examples of each outcome.' })
  samples!: MatchSampleType[];

  @Field(() => SyncJob, { nullable: true, description: 'Null for a dry run.' })
  job!: SyncJob | null;

  @Field(() => [SyncJob], { description: 'Synchronisations that created unmatched records or synced the new couplings.' })
  syncJobs!: SyncJob[];
}

@Resolver()
export class MatchCouplingResolver {
  @Authorized(Role.OPERATOR)
  @Mutation(() => CoupleByMatchResult, { description: 'Couples records whose match fields hold the same values on both sides.' })
  async coupleByMatch(@Arg('input', () => CoupleByMatchInput) input: CoupleByMatchInput, @Ctx() ctx: GatewayContext) {
    const report = await ctx.services.matchCoupling.coupleByMatch({ ...input, mappingName: input.mapping }, ctx.principal!.subject);
    const { COUPLED, CREATED, NO_MATCH, AMBIGUOUS, ALREADY_COUPLED } = report.counts;
    return {
      counts: { coupled: COUPLED, created: CREATED, noMatch: NO_MATCH, ambiguous: AMBIGUOUS, alreadyCoupled: ALREADY_COUPLED },
      samples: report.samples,
      job: report.job,
      syncJobs: report.syncJobs,
    };
  }
}
