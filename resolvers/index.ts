import { ConnectionSetupResolver } from './connection-setup.resolver';
import { ContactResolver } from './contact.resolver';
import { CouplingResolver } from './coupling.resolver';
import { CurrencyResolver } from './currency.resolver';
import { CustomerResolver } from './customer.resolver';
import { FieldHistoryResolver } from './field-history.resolver';
import { FullSyncResolver } from './full-sync.resolver';
import { InvoiceLineResolver } from './invoice-line.resolver';
import { InvoiceResolver } from './invoice.resolver';
import { ItemResolver } from './item.resolver';
import { MatchCouplingResolver } from './match-coupling.resolver';
import { NodeResolver } from './node.resolver';
import { OpportunityResolver } from './opportunity.resolver';
import { PossibleDuplicateResolver } from './possible-duplicate.resolver';
import { PriceListResolver } from './price-list.resolver';
import { PriceResolver } from './price.resolver';
import { ResourceResolver } from './resource.resolver';
import { SalesOrderResolver } from './sales-order.resolver';
import { SalespersonResolver } from './salesperson.resolver';
import { SyncErrorResolver } from './sync-error.resolver';
import { SyncJobResolver } from './sync-job.resolver';
import { SyncProgressResolver } from './sync-progress.resolver';
import { SyncResolver } from './sync.resolver';
import { OptionMappingResolver, TableMappingResolver } from './table-mapping.resolver';
import { UnitOfMeasureResolver } from './unit-of-measure.resolver';

export const resolvers = [
  NodeResolver,
  CustomerResolver,
  ContactResolver,
  SalespersonResolver,
  CurrencyResolver,
  UnitOfMeasureResolver,
  ItemResolver,
  ResourceResolver,
  PriceListResolver,
  PriceResolver,
  OpportunityResolver,
  InvoiceResolver,
  InvoiceLineResolver,
  SalesOrderResolver,
  TableMappingResolver,
  OptionMappingResolver,
  CouplingResolver,
  SyncJobResolver,
  SyncResolver,
  SyncErrorResolver,
  FieldHistoryResolver,
  PossibleDuplicateResolver,
  MatchCouplingResolver,
  FullSyncResolver,
  SyncProgressResolver,
  ConnectionSetupResolver,
] as const;
