import { Field, ID, ObjectType, type ClassType } from 'type-graphql';
import { SyncState } from '../../src/unify/sync-state';
import { Coupling } from './coupling.type';

/**
 * The fields every unified type shares: its id, both sides, the coupling and the sync state. A
 * concrete type extends this with its merged fields and related records.
 */
export function UnifiedObject<E extends object, C extends object>(name: string, erpType: ClassType<E>, crmType: ClassType<C>) {
  @ObjectType(`${name}Unified`)
  abstract class Unified {
    @Field(() => ID)
    id!: string;

    @Field(() => erpType, { nullable: true, description: 'The ERP side, or null when the record exists only in the CRM.' })
    erp!: E | null;

    @Field(() => crmType, { nullable: true, description: 'The CRM side, or null when the record exists only in the ERP.' })
    crm!: C | null;

    @Field(() => Coupling, { nullable: true, description: 'Null while the record is not coupled.' })
    coupling!: Coupling | null;

    @Field(() => SyncState)
    syncState!: SyncState;
  }
  return Unified;
}
