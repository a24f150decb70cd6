import { Resolver } from 'type-graphql';
import { UnifiedQueries } from './common/unified-queries';
import { Currency } from './currency.type';

@Resolver(() => Currency)
export class CurrencyResolver extends UnifiedQueries('Currency', Currency, { list: 'currencies', one: 'currency' }) {}
