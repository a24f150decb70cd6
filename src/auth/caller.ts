import type { DomainError } from '../errors/domain-error';
import type { Principal } from './tokens';

/** Who is asking, as the request's token said. */
export interface Caller {
  readonly principal: Principal | null;
  /** A presented but unusable token: reported when a field that needs a role is asked for. */
  readonly authError: DomainError | null;
}
