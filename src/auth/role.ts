import { registerEnumType } from 'type-graphql';

/** Ordered from least to most privileged; each role includes those before it. */
export enum Role {
  VIEWER = 'viewer',
  OPERATOR = 'operator',
  ADMIN = 'admin',
}

registerEnumType(Role, { name: 'Role' });

const rank: Record<Role, number> = { [Role.VIEWER]: 1, [Role.OPERATOR]: 2, [Role.ADMIN]: 3 };

export const isRole = (value: unknown): value is Role => typeof value === 'string' && value in Object.fromEntries(Object.values(Role).map((r) => [r, true]));

export function grants(held: readonly Role[], needed: Role): boolean {
  return held.some((role) => rank[role] >= rank[needed]);
}
