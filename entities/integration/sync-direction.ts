import { registerEnumType } from 'type-graphql';

/** Which way data flows for a table or a field mapping. */
export enum SyncDirection {
  TO_CRM = 'TO_CRM',
  FROM_CRM = 'FROM_CRM',
  BIDIRECTIONAL = 'BIDIRECTIONAL',
}

registerEnumType(SyncDirection, { name: 'SyncDirection' });
