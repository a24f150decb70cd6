import { useQuery } from 'urql';
import { OperatorCustomersDocument, OperatorInvoicesDocument, OperatorItemsDocument, type SyncState, type UnifiedFilter } from '../api/generated/operations';

/** A row of any of the three lists, the same shape whichever type it is. */
export interface RecordRow {
  id: string;
  number: string | null;
  name: string | null;
  syncState: SyncState;
  erp: boolean;
  crm: boolean;
  coupled: boolean;
}

export const RECORD_KINDS = {
  customers: { title: 'Customers', mapping: 'CUSTOMER' },
  items: { title: 'Items', mapping: 'ITEM-PRODUCT' },
  invoices: { title: 'Invoices', mapping: 'POSTEDSALESINV-INV' },
} as const;
export type RecordKind = keyof typeof RECORD_KINDS;

interface ListNode {
  id: string;
  number?: string | null;
  name?: string | null;
  customer?: { name?: string | null } | null;
  syncState: SyncState;
  erp?: unknown;
  crm?: unknown;
  coupling?: unknown;
}

const rowOf = (node: ListNode): RecordRow => ({
  id: node.id,
  number: node.number ?? null,
  name: node.name ?? node.customer?.name ?? null,
  syncState: node.syncState,
  erp: Boolean(node.erp),
  crm: Boolean(node.crm),
  coupled: Boolean(node.coupling),
});

/** One of the three unified lists, as rows of one shape; the other two queries stay paused. */
export function useRecordList(kind: RecordKind, filter: UnifiedFilter, first = 50) {
  const variables = { first, filter };
  const [customers, refreshCustomers] = useQuery({ query: OperatorCustomersDocument, variables, pause: kind !== 'customers' });
  const [items, refreshItems] = useQuery({ query: OperatorItemsDocument, variables, pause: kind !== 'items' });
  const [invoices, refreshInvoices] = useQuery({ query: OperatorInvoicesDocument, variables, pause: kind !== 'invoices' });
  const lists = {
    customers: { result: customers, connection: customers.data?.customers, refresh: refreshCustomers },
    items: { result: items, connection: items.data?.items, refresh: refreshItems },
    invoices: { result: invoices, connection: invoices.data?.invoices, refresh: refreshInvoices },
  };
  const { result, connection, refresh } = lists[kind];
  const nodes: ListNode[] = connection?.edges.map((edge: { node: ListNode }) => edge.node) ?? [];
  return {
    rows: nodes.map(rowOf),
    totalCount: connection?.totalCount ?? 0,
    error: result.error,
    refresh: () => refresh({ requestPolicy: 'network-only' }),
  };
}
