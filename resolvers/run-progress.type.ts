import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType('RunProgress', { description: "A full synchronisation's progress as a whole: all its jobs together." })
export class RunProgressType {
  @Field(() => Int, { description: 'Source records its jobs have read.' })
  processed!: number;

  @Field(() => Int, {
    nullable: true,
    description:
      'Records its jobs will have read: what finished jobs read, what started ones counted, and for the others what they were expected to read when the run started; null when unknown.',
  })
  estimatedTotal!: number | null;

  @Field(() => Float, { nullable: true, description: 'Source records per second since the run started or was last resumed; null while it does not run.' })
  recordsPerSecond!: number | null;

  @Field(() => Float, { nullable: true, description: 'Seconds left at that rate.' })
  etaSeconds!: number | null;

  @Field(() => Int)
  jobs!: number;

  @Field(() => Int)
  jobsFinished!: number;
}
