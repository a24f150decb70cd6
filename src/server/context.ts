import type { Caller } from '../auth/caller';
import type { RequestReads } from '../unify/request-reads';
import type { GatewayServices } from './services';

/** What every resolver receives: who is asking, the request's loaders, and the services. */
export interface GatewayContext extends Caller, RequestReads {
  readonly services: GatewayServices;
}
