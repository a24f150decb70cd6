import { Resolver } from 'type-graphql';
import { UnifiedQueries } from './common/unified-queries';
import { Salesperson } from './salesperson.type';

@Resolver(() => Salesperson)
export class SalespersonResolver extends UnifiedQueries('Salesperson', Salesperson, { list: 'salespeople', one: 'salesperson' }) {}
