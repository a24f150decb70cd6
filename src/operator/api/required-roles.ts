import type { OperatorRole } from './token-roles';

/**
 * The role each operation the clients send needs (the resolvers' @Authorized), so a client shows
 * no button its user cannot use; the gateway still decides and its refusal is shown as it is.
 * Operations not listed (queries, subscriptions) need a viewer.
 */
export const REQUIRED_ROLE: Readonly<Record<string, OperatorRole>> = {
  startFullSync: 'admin',
  pauseFullSync: 'operator',
  resumeFullSync: 'operator',
  cancelSyncJob: 'operator',
  runSync: 'operator',
  syncRecords: 'operator',
  couple: 'operator',
  uncouple: 'operator',
  coupleByMatch: 'operator',
  retrySyncErrors: 'operator',
  resolveSyncErrors: 'operator',
  resolvePossibleDuplicate: 'operator',
  updateTableMapping: 'admin',
  updateFieldMapping: 'admin',
};

export const requiredRole = (operation: string): OperatorRole => REQUIRED_ROLE[operation] ?? 'viewer';
