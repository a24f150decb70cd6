import { randomUUID } from 'node:crypto';
import { Secret } from '../../src/config/secret';
import type { BudgetLimits } from '../../src/connectors/web-api/request-budget';
import type { RegisteredClient } from '../../emulators/shared/identity';
import { createTestDatabase } from './test-gateway';

/** The app registration tests sign in with, and the application user it acts as. */
export function testAppRegistration(): RegisteredClient {
  return { tenantId: 'contoso', clientId: `gateway-${randomUUID()}`, clientSecret: randomUUID(), userId: randomUUID() };
}

export function credentialsFor(app: RegisteredClient, authorityUrl: string) {
  return { authorityUrl, tenantId: app.tenantId, clientId: app.clientId, clientSecret: new Secret(app.clientSecret) };
}

/** A client budget generous enough never to be what a test measures. */
export const ROOMY_BUDGET: BudgetLimits = { maxConcurrent: 4, maxRequests: 10_000, windowMs: 60_000, windowMarginMs: 0 };

/** An emulator's database for one test file, dropped by the returned function. */
export async function emulatorDatabase(label: string): Promise<{ url: string; drop: () => Promise<void> }> {
  return createTestDatabase(label);
}
