/**
 * The name of the advisory lock one run of a mapping holds for its whole duration (taken with
 * `pg_try_advisory_lock(hashtext(name))` on a session of the integration store): one writer per
 * mapping across every process, released by PostgreSQL when the holder's session ends.
 */
export const mappingLockName = (mappingName: string): string => `sync:${mappingName}`;
