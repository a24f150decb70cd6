/**
 * Every error code a client can receive, in one place. Clients branch on `extensions.code`;
 * messages are for people.
 */
export enum ErrorCode {
  BAD_USER_INPUT = 'BAD_USER_INPUT',
  NOT_FOUND = 'NOT_FOUND',
  UNAUTHENTICATED = 'UNAUTHENTICATED',
  FORBIDDEN = 'FORBIDDEN',
  INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR',
  /** The HTTP request itself is unusable (batched, blocked as a possible CSRF, GET for a mutation, malformed JSON). */
  BAD_REQUEST = 'BAD_REQUEST',
  /** The request body is larger than the server accepts (HTTP_MAX_BODY_BYTES). */
  PAYLOAD_TOO_LARGE = 'PAYLOAD_TOO_LARGE',
  /** The operation is too deep, has too many aliases, directives or tokens, or would cost too much. */
  QUERY_TOO_COMPLEX = 'QUERY_TOO_COMPLEX',
  /** The operation ran past its deadline (or its client went away) and was stopped. */
  DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED',
  /** A store cannot be reached right now; try again later (HTTP 503). */
  SERVICE_UNAVAILABLE = 'SERVICE_UNAVAILABLE',
  /** The connection already holds as many subscriptions as one connection may. */
  TOO_MANY_SUBSCRIPTIONS = 'TOO_MANY_SUBSCRIPTIONS',
  /** A mapping may not run in the asked direction (its standard mapping does not allow it). */
  DIRECTION_NOT_ALLOWED = 'DIRECTION_NOT_ALLOWED',
  /** Option mappings translate ERP codes into CRM options only, never back. */
  OPTION_MAPPING_NOT_BIDIRECTIONAL = 'OPTION_MAPPING_NOT_BIDIRECTIONAL',
  /** The ERP or the CRM record is coupled already (couplings are one to one). */
  ALREADY_COUPLED = 'ALREADY_COUPLED',
  NOT_COUPLED = 'NOT_COUPLED',
  /** A record the coupling depends on is not coupled yet (salesperson, unit of measure, price group…). */
  PREREQUISITE_NOT_COUPLED = 'PREREQUISITE_NOT_COUPLED',
  /** The record is outside the mapping's filter (an inactive account, a currency without ISO code…). */
  RECORD_OUTSIDE_MAPPING = 'RECORD_OUTSIDE_MAPPING',
  /** The two records cannot be the same thing (different ISO codes, a unit group with several units…). */
  RECORDS_DO_NOT_MATCH = 'RECORDS_DO_NOT_MATCH',
  /** The mapping's records move by another operation (sales orders are transferred with their lines). */
  MAPPING_NOT_SYNCHRONISED = 'MAPPING_NOT_SYNCHRONISED',
  /** Another run of the same mapping is under way; one writer per mapping. */
  SYNC_ALREADY_RUNNING = 'SYNC_ALREADY_RUNNING',
  /** A full synchronisation is under way; one at a time. */
  FULL_SYNC_ALREADY_RUNNING = 'FULL_SYNC_ALREADY_RUNNING',
  /** Only a running full synchronisation can be paused. */
  RUN_NOT_PAUSABLE = 'RUN_NOT_PAUSABLE',
  /** Only a paused full synchronisation, or the latest cancelled one, can be resumed. */
  RUN_NOT_RESUMABLE = 'RUN_NOT_RESUMABLE',
  /** The job has finished (or was never a background job) and cannot be cancelled. */
  JOB_NOT_CANCELLABLE = 'JOB_NOT_CANCELLABLE',
  /** The write-in product is coupled to a CRM product: write-in lines would be taken for catalogue lines. */
  WRITE_IN_PRODUCT_COUPLED = 'WRITE_IN_PRODUCT_COUPLED',
  /** The write-in item or resource is never synchronised or coupled. */
  WRITE_IN_PRODUCT_NOT_SYNCHRONISED = 'WRITE_IN_PRODUCT_NOT_SYNCHRONISED',
  /** A CRM order has a write-in product and the Sales & Receivables Setup names no write-in item or resource. */
  WRITE_IN_PRODUCT_NOT_CONFIGURED = 'WRITE_IN_PRODUCT_NOT_CONFIGURED',
  /** Sales order integration is off in the connection setup. */
  SALES_ORDER_INTEGRATION_DISABLED = 'SALES_ORDER_INTEGRATION_DISABLED',
  /** Only CRM orders in the Submitted state are transferred. */
  ORDER_NOT_SUBMITTED = 'ORDER_NOT_SUBMITTED',
  /** The order's account is not coupled to an ERP customer. */
  CUSTOMER_NOT_COUPLED = 'CUSTOMER_NOT_COUPLED',
}
