import type { Principal } from '../auth/tokens';
import type { DomainError } from '../errors/domain-error';
import type { RequestLoaders } from '../loaders/request-loaders';
import type { UnifiedRecords } from '../unify/unified-records';
import type { GatewayServices } from './services';

/** What every resolver receives: who is asking, the request's loaders, and the services. */
export interface GatewayContext {
  readonly principal: Principal | null;
  /** A presented but unusable token: reported when a field that needs a role is asked for. */
  readonly authError: DomainError | null;
  readonly loaders: RequestLoaders;
  readonly records: UnifiedRecords;
  readonly services: GatewayServices;
}
