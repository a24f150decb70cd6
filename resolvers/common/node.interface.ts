import { Field, ID, InterfaceType } from 'type-graphql';
import type { UnifiedRecord } from '../../src/unify/unified-record';

@InterfaceType({
  description: 'A unified record, reachable with node(id:).',
  resolveType: (record: UnifiedRecord) => record.typeName,
})
export abstract class Node {
  @Field(() => ID, { description: 'Opaque and stable while the record exists on the side it names.' })
  id!: string;
}
