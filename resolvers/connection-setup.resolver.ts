import { Arg, Authorized, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { SystemUser } from '../entities/crm/system-user.entity';
import { WriteInProductType } from '../entities/erp/sales-receivables-setup.entity';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { SetupStep } from '../src/setup/connection-setup.service';
import { ConnectionTest, SystemConnection } from './system-connection.type';

@ObjectType({ description: 'One prerequisite of the sales order integration and whether it is met.' })
class SetupPrerequisite {
  @Field(() => SetupStep)
  step!: SetupStep;

  @Field()
  met!: boolean;

  @Field()
  detail!: string;

  @Field(() => Int, { nullable: true, description: 'Coupling steps: records coupled.' })
  coupled!: number | null;

  @Field(() => Int, { nullable: true, description: "Coupling steps: records in the mapping's scope on one side only." })
  uncoupled!: number | null;
}

@ObjectType({ description: 'The connection setup (BC: Microsoft Dynamics 365 Connection Setup and the write-in fields of Sales & Receivables Setup).' })
class ConnectionSetup {
  @Field(() => SystemUser, { nullable: true, description: 'The CRM user whose changes synchronisation ignores (its integration user mode).' })
  integrationUser!: SystemUser | null;

  @Field()
  salesOrderIntegrationEnabled!: boolean;

  @Field({ description: 'Automatically Create Sales Orders: submitted CRM orders become ERP orders without an operator.' })
  autoCreateSalesOrders!: boolean;

  @Field({ description: 'Whether items show their ERP availability.' })
  itemAvailabilityEnabled!: boolean;

  @Field(() => WriteInProductType)
  writeInProductType!: WriteInProductType;

  @Field(() => String, { nullable: true, description: 'The item or resource CRM write-in products are sold as.' })
  writeInProductNo!: string | null;

  @Field(() => [SetupPrerequisite], { description: "The assisted setup's checklist." })
  prerequisites!: SetupPrerequisite[];
}

@InputType({ description: 'What to change in the connection setup; fields left out stay as they are.' })
class UpdateConnectionSetupInput {
  @Field(() => ID, { nullable: true, description: 'The CRM user (CrmSystemUser id) to become the integration user.' })
  integrationUserId?: string | null;

  @Field(() => Boolean, { nullable: true })
  salesOrderIntegrationEnabled?: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'Needs sales order integration on.' })
  autoCreateSalesOrders?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  itemAvailabilityEnabled?: boolean | null;

  @Field(() => WriteInProductType, { nullable: true })
  writeInProductType?: WriteInProductType | null;

  @Field(() => String, { nullable: true, description: 'An existing item or resource (by the type) coupled to no CRM product; null clears it.' })
  writeInProductNo?: string | null;
}

const upper = <T extends { system: string }>(row: T): T => ({ ...row, system: row.system.toUpperCase() });

@Resolver(() => ConnectionSetup)
export class ConnectionSetupResolver {
  @Authorized(Role.ADMIN)
  @Query(() => ConnectionSetup)
  connectionSetup(@Ctx() ctx: GatewayContext) {
    return ctx.services.connectionSetup.get();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => ConnectionSetup, { description: 'Changes the connection setup; a refused change leaves every system as it was.' })
  updateConnectionSetup(@Arg('input', () => UpdateConnectionSetupInput) input: UpdateConnectionSetupInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.connectionSetup.update(input, ctx.principal!.subject);
  }

  @FieldResolver(() => [SystemConnection], { description: 'The ERP and the CRM the gateway reaches, and how far each mirror lags behind its product.' })
  async systems(@Ctx() ctx: GatewayContext) {
    return (await ctx.services.systemConnections.describe()).map(upper);
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => [ConnectionTest], {
    description: 'Signs in to each system and reads from it: reachability, identity and permissions. A system that is down answers with its failure, not an error.',
  })
  async testConnection(@Ctx() ctx: GatewayContext) {
    return (await ctx.services.systemConnections.test()).map(upper);
  }
}
