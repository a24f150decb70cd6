import type { Principal } from '../auth/tokens';
import { DomainError } from '../errors/domain-error';
import { createRequestLoaders } from '../loaders/request-loaders';
import { PagePrefetch } from '../unify/page-prefetch';
import { UnifiedRecords } from '../unify/unified-records';
import type { GatewayContext } from '../../resolvers/common/gateway-context';
import type { GatewayServices } from './services';

/**
 * Builds a request's context from its `Authorization` value (an HTTP header, or graphql-ws
 * connectionParams.authorization): fresh loaders every time, none shared between requests.
 */
export function createContext(services: GatewayServices, authorization: unknown): GatewayContext {
  let principal: Principal | null = null;
  let authError: DomainError | null = null;
  try {
    principal = services.tokens.authenticate(authorization);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    authError = error;
  }
  const loaders = createRequestLoaders(services.connectors, services.stores.integration);
  return {
    principal,
    authError,
    loaders,
    records: new UnifiedRecords(services.connectors, loaders, services.lists, services.compiledReads, services.readsAhead ? new PagePrefetch(services.connectors, loaders) : null),
    services,
  };
}
