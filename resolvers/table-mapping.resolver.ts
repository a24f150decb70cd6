import { Arg, Authorized, Ctx, Field, FieldResolver, Float, ID, InputType, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { FieldMapping, FieldTransformation } from '../entities/integration/field-mapping.entity';
import { OptionCoupling } from '../entities/integration/option-coupling.entity';
import { OptionMapping } from '../entities/integration/option-mapping.entity';
import { SyncDirection } from '../entities/integration/sync-direction';
import { ConflictResolution, DeletionConflictResolution, TableMapping } from '../entities/integration/table-mapping.entity';
import { Role } from '../src/auth/role';
import type { GatewayContext } from './common/gateway-context';
import { FilterConditionInput, FilterConditionType, fromFilterInput, toFilterType } from './common/filter-condition.type';

@InputType({ description: 'What to change on a table mapping; fields left out stay as they are.' })
class UpdateTableMappingInput {
  @Field(() => SyncDirection, { nullable: true, description: 'Within the directions the standard mapping allows.' })
  direction?: SyncDirection | null;

  @Field(() => [FilterConditionInput], { nullable: true, description: 'Replaces the ERP-side filter; [] removes it.' })
  erpFilter?: FilterConditionInput[] | null;

  @Field(() => [FilterConditionInput], { nullable: true, description: 'Replaces the CRM-side filter; [] removes it.' })
  crmFilter?: FilterConditionInput[] | null;

  @Field(() => Boolean, { nullable: true })
  syncOnlyCoupledRecords?: boolean | null;

  @Field(() => ConflictResolution, { nullable: true })
  updateConflictResolution?: ConflictResolution | null;

  @Field(() => DeletionConflictResolution, { nullable: true })
  deletionConflictResolution?: DeletionConflictResolution | null;

  @Field(() => Int, { nullable: true, description: 'Seconds between scheduled incremental runs, the fallback for missed change notifications (1 to 86400).' })
  incrementalIntervalSeconds?: number | null;

  @Field(() => Float, {
    nullable: true,
    description: 'Hold records a sync would create when the other system has a match scoring at least this (0 to 1); 0 turns the duplicate review off.',
  })
  duplicateThreshold?: number | null;
}

@InputType({ description: 'What to change on a field mapping; fields left out stay as they are.' })
class UpdateFieldMappingInput {
  @Field(() => SyncDirection, { nullable: true })
  direction?: SyncDirection | null;

  @Field(() => Boolean, { nullable: true })
  enabled?: boolean | null;

  @Field(() => String, { nullable: true, description: 'A value written instead of the source field; null clears it.' })
  constantValue?: string | null;

  @Field(() => FieldTransformation, { nullable: true })
  transformation?: FieldTransformation | null;
}

@Resolver(() => TableMapping)
export class TableMappingResolver {
  @Authorized(Role.VIEWER)
  @Query(() => [TableMapping], { description: 'The table mappings in dependency order, with their field and option mappings.' })
  integrationTableMappings(@Ctx() ctx: GatewayContext) {
    return ctx.services.mappings.list();
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => TableMapping, { description: "Changes a table mapping's direction, filters and conflict policies." })
  updateTableMapping(@Arg('name', () => ID) name: string, @Arg('input', () => UpdateTableMappingInput) input: UpdateTableMappingInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.mappings.updateTableMapping(
      name,
      { ...input, erpFilter: input.erpFilter && fromFilterInput(input.erpFilter), crmFilter: input.crmFilter && fromFilterInput(input.crmFilter) },
      ctx.principal!.subject,
    );
  }

  @Authorized(Role.ADMIN)
  @Mutation(() => FieldMapping, { description: "Changes a field mapping's direction, enabled flag, constant value or transformation." })
  updateFieldMapping(@Arg('id', () => ID) id: string, @Arg('input', () => UpdateFieldMappingInput) input: UpdateFieldMappingInput, @Ctx() ctx: GatewayContext) {
    return ctx.services.mappings.updateFieldMapping(id, input, ctx.principal!.subject);
  }

  @FieldResolver(() => [FilterConditionType])
  erpFilter(@Root() mapping: TableMapping) {
    return toFilterType(mapping.erpFilter);
  }

  @FieldResolver(() => [FilterConditionType])
  crmFilter(@Root() mapping: TableMapping) {
    return toFilterType(mapping.crmFilter);
  }

  @FieldResolver(() => [FieldMapping])
  fieldMappings(@Root() mapping: TableMapping, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.integration.fieldMappings(mapping.name);
  }

  @FieldResolver(() => [OptionMapping], { description: 'The option mappings its option fields go through.' })
  async optionMappings(@Root() mapping: TableMapping, @Ctx() ctx: GatewayContext) {
    const fields = await ctx.loaders.integration.fieldMappings(mapping.name);
    const names = fields.filter((f) => f.transformation === FieldTransformation.OPTION && f.transformationSource).map((f) => f.transformationSource!);
    const options = await Promise.all(names.map((name) => ctx.loaders.integration.optionMapping.load(name)));
    return options.filter((option): option is OptionMapping => option !== null);
  }

  @FieldResolver(() => Int)
  async couplingCount(@Root() mapping: TableMapping, @Ctx() ctx: GatewayContext) {
    return (await ctx.loaders.integration.recordCounts.load(mapping.name)).coupled;
  }

  @FieldResolver(() => Int, { description: 'Records whose last synchronisation failed or found a conflict.' })
  async errorCount(@Root() mapping: TableMapping, @Ctx() ctx: GatewayContext) {
    return (await ctx.loaders.integration.recordCounts.load(mapping.name)).failed;
  }

  @FieldResolver(() => Int)
  async skippedCount(@Root() mapping: TableMapping, @Ctx() ctx: GatewayContext) {
    return (await ctx.loaders.integration.recordCounts.load(mapping.name)).skipped;
  }
}

@Resolver(() => OptionMapping)
export class OptionMappingResolver {
  @FieldResolver(() => [OptionCoupling], { description: 'ERP codes and the CRM option values they are coupled to; codes with no option are left blank in the CRM.' })
  couplings(@Root() option: OptionMapping, @Ctx() ctx: GatewayContext) {
    return ctx.loaders.integration.optionCouplings.load(option.name);
  }
}
