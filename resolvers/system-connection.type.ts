import { Field, Float, ObjectType } from 'type-graphql';
import { ConnectionFailure, SystemKind } from '../src/setup/system-connections.service';

@ObjectType({ description: "How far a mirrored table has caught up with the product's change feed." })
export class MirrorTableState {
  @Field({ description: 'Our table.' })
  table!: string;

  @Field({ description: "The product's entity set it mirrors." })
  entitySet!: string;

  @Field(() => Date, { nullable: true, description: 'The mirror holds every change the product made before this; null until the initial load ends.' })
  caughtUpAt!: Date | null;

  @Field(() => Float, { nullable: true, description: 'Seconds since caughtUpAt: how far the mirror may lag behind the product.' })
  lagSeconds!: number | null;

  @Field(() => Float, { description: 'Records the replicator has written into the mirror or deleted there.' })
  recordsApplied!: number;
}

@ObjectType({ description: 'One system the gateway reaches (ERP_SYSTEM, CRM_SYSTEM and their variables); the client secret is never shown.' })
export class SystemConnection {
  @Field({ description: 'ERP or CRM.' })
  system!: string;

  @Field(() => SystemKind)
  kind!: SystemKind;

  @Field(() => String, { nullable: true, description: "The product's API or environment URL." })
  url!: string | null;

  @Field(() => String, { nullable: true })
  tenantId!: string | null;

  @Field(() => String, { nullable: true })
  clientId!: string | null;

  @Field(() => String, { nullable: true, description: '*** when a secret is configured.' })
  clientSecret!: string | null;

  @Field(() => [MirrorTableState], { description: 'The tables mirrored from the product (none for a PostgreSQL system).' })
  mirrorTables!: MirrorTableState[];
}

@ObjectType({ description: 'What testConnection found for one system: reachability, identity and permission to read.' })
export class ConnectionTest {
  @Field({ description: 'ERP or CRM.' })
  system!: string;

  @Field(() => SystemKind)
  kind!: SystemKind;

  @Field()
  reachable!: boolean;

  @Field({ description: 'The identity platform gave the app a token.' })
  tokenObtained!: boolean;

  @Field(() => String, { nullable: true, description: 'Who the gateway is to the system (the application user, the companies it sees).' })
  identity!: string | null;

  @Field({ description: 'A read of one row of a mirrored entity set succeeded.' })
  readPermission!: boolean;

  @Field()
  detail!: string;

  @Field(() => ConnectionFailure, { nullable: true, description: 'Why the test failed; null when it passed.' })
  failure!: ConnectionFailure | null;
}
