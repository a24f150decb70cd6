import type { GatewayConnection } from '../gateway-connection';
import type { Output } from '../output';

/** What every command works with: the gateway (from GATEWAY_URL and GATEWAY_TOKEN) and where results go. */
export interface CommandContext {
  readonly gateway: GatewayConnection;
  readonly output: Output;
}
