import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IntrospectionQuery } from 'graphql';
import type { Browser, Page } from 'playwright-core';
import { INTROSPECTION_QUERY, SchemaFeatures } from '../src/operator/api/schema-features';
import { decodeUnifiedId, encodeUnifiedId } from '../src/unify/unified-id';
import { PossibleDuplicatesDocument, SyncErrorFieldsDocument, SyncErrorsDocument, UncoupleDocument } from './generated/operations';
import { launchBrowser, outsideRequests, screenshot } from './support/browser';
import { freshConflict, lastResult, whileMappingBusy } from './support/busy-mapping';
import { codesOf, graphqlRequest } from './support/raw-requests';
import { eventually } from './support/subscriptions';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 390, height: 844 };

describe('the operator console in a browser', () => {
  let gateway: TestGateway;
  let browser: Browser;
  let origin: string;

  before(async () => {
    gateway = await startTestGateway({ label: 'console', customers: 40, worker: true, demoTokens: true });
    origin = new URL(gateway.url).origin;
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await gateway?.close();
  });

  /** A fresh page signed in with the demo token of `role`, as an operator would from the sign-in page. */
  const signedIn = async (role: 'viewer' | 'operator' | 'admin', viewport = WIDE): Promise<{ page: Page; outside: string[] }> => {
    const page = await browser.newPage({ viewport });
    const outside = outsideRequests(page, origin);
    await page.goto(`${origin}/console/`);
    const button = page.getByRole('button', { name: `Sign in as ${role}` });
    await button.waitFor();
    if (role === 'viewer') await screenshot(page, 'sign-in-1280');
    await button.click();
    await page.getByTestId('signed-in-as').getByText(role).waitFor();
    return { page, outside };
  };

  it('shows a viewer no buttons a viewer cannot use', async () => {
    const { page, outside } = await signedIn('viewer');
    await page.getByRole('table').first().getByText('CUSTOMER', { exact: true }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Start full synchronisation' }).count(), 0);
    await page.goto(`${origin}/console/#/errors`);
    await page.getByRole('heading', { name: 'Sync errors', level: 1 }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Retry' }).count(), 0);
    assert.equal(await page.getByRole('button', { name: 'ERP wins' }).count(), 0);
    await page.goto(`${origin}/console/#/mappings`);
    await page
      .getByRole('heading', { name: 'CUSTOMER' })
      .or(page.getByRole('heading', { name: 'SALESPEOPLE' }))
      .first()
      .waitFor();
    assert.equal(await page.getByRole('button', { name: 'Save filter' }).count(), 0);
    assert.equal(await page.locator('main select').count(), 0, 'no setting a viewer could change');
    assert.deepEqual(outside, []);
    await page.close();
  });

  it('starts a full synchronisation for an admin and follows it to 100 % over the subscription', async () => {
    const { page, outside } = await signedIn('admin');
    await screenshot(page, 'full-sync-before-1280');
    const overall = page.getByRole('progressbar', { name: 'Overall' });
    const posts: string[] = [];
    page.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/graphql')) posts.push(request.postData() ?? '');
    });
    // The bar's values as the page shows them, however fast they change (the script runs in the page).
    await page.evaluate(`
      window.overallSeen = [];
      new MutationObserver(() => {
        const bar = document.querySelector('[role=progressbar][aria-label=Overall]');
        if (bar) window.overallSeen.push(Number(bar.getAttribute('aria-valuenow')));
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-valuenow'] });
    `);
    await page.getByRole('button', { name: 'Start full synchronisation' }).click();
    await overall.waitFor();
    await page.locator('[role=progressbar][aria-label=Overall][aria-valuenow="100"]').waitFor({ timeout: 90_000 });
    await page.getByText('Latest run').waitFor();
    await page.getByRole('button', { name: 'Start full synchronisation' }).and(page.locator(':enabled')).waitFor();
    const seen = (await page.evaluate('window.overallSeen')) as number[];
    assert.ok(
      seen.some((value) => value < 100),
      `the bar moved up to 100 %: ${seen.join(', ')}`,
    );
    assert.equal(seen.at(-1), 100);
    assert.ok(
      seen.every((value, i) => i === 0 || value >= seen[i - 1]!),
      `the bar never goes back: ${seen.join(', ')}`,
    );
    const customers = page.getByTestId('job-CUSTOMER-TO_CRM');
    assert.equal(await customers.getByRole('progressbar').getAttribute('aria-valuenow'), '100');
    assert.match((await customers.textContent()) ?? '', /succeeded/);
    // Progress came over the subscription: the page sent the start, the refreshes its result asked for and, once the
    // run finished, one more round; nothing was polled while it ran.
    const operations = posts.map((body) => (JSON.parse(body) as { operationName?: string }).operationName ?? '?');
    assert.equal(operations.filter((name) => name === 'OperatorStartFullSync').length, 1);
    assert.ok(operations.length <= 8, `HTTP requests while the run went on: ${operations.join(', ')}`);
    const finished = page.getByRole('region', { name: 'Finished runs' });
    await finished.getByRole('row').nth(1).waitFor();
    // The demo company holds look-alike customers uncoupled, which the run held for duplicate review: the summary counts them.
    const headers = await finished.getByRole('columnheader').allTextContents();
    const heldColumn = headers.indexOf('Held as duplicate');
    assert.ok(heldColumn >= 0, `the summary's columns: ${headers.join(', ')}`);
    assert.ok(Number(await finished.getByRole('row').nth(1).getByRole('cell').nth(heldColumn).textContent()) > 0, 'records held as duplicates are counted');
    await screenshot(page, 'full-sync-finished-1280');
    await page.setViewportSize(NARROW);
    await screenshot(page, 'full-sync-finished-narrow');
    assert.deepEqual(outside, []);
    await page.close();
  });

  it('resolves a sync error from the page, which then leaves the list', async () => {
    const conflicts = (await gateway.request(SyncErrorsDocument, { first: 100, filter: { result: 'CONFLICT' } })).data!.syncErrors.edges.map((e) => e.node);
    assert.ok(conflicts.length > 0, 'the demo company has conflicting edits, which the full synchronisation reported');
    const target = conflicts[0]!;
    const { page, outside } = await signedIn('operator');
    await page.goto(`${origin}/console/#/errors`);
    const row = page.getByTestId(`sync-error-${target.id}`);
    await row.waitFor();
    await row.getByRole('button', { name: 'Compare' }).click();
    const sides = page.getByTestId('side-by-side');
    await sides.waitFor();
    assert.ok((await sides.locator('tr.differs').count()) > 0, 'the differing fields are highlighted');
    await screenshot(page, 'sync-errors-compare-1280');
    await row.getByRole('checkbox').check();
    await page.getByRole('button', { name: 'ERP wins' }).click();
    await page
      .getByRole('status')
      .getByText(/CUSTOMER: .*modified/)
      .waitFor();
    await row.waitFor({ state: 'detached' });
    const left = await eventually(
      async () => {
        const ids = (await gateway.request(SyncErrorsDocument, { first: 100 })).data!.syncErrors.edges.map((e) => e.node.id);
        return ids.includes(target.id) ? undefined : ids;
      },
      10_000,
      'the error to leave the queue',
    );
    assert.equal(left.includes(target.id), false);

    // Field by field: each field in conflict shows both values and the last synchronised ones, and takes the side picked for it.
    const byField = (await gateway.request(SyncErrorFieldsDocument, { first: 100, filter: { result: 'CONFLICT' } }))
      .data!.syncErrors.edges.map((e) => e.node)
      .find((e) => e.fields.length > 0);
    assert.ok(byField, 'a conflict with its fields');
    const fieldRow = page.getByTestId(`sync-error-${byField.id}`);
    await fieldRow.getByRole('button', { name: 'Compare' }).click();
    const fields = page.getByTestId(`field-conflicts-${byField.id}`);
    await fields.waitFor();
    const resolveFields = fields.getByRole('button', { name: 'Resolve fields' });
    assert.equal(await resolveFields.isDisabled(), true, 'a side for every field first');
    for (const radio of await fields.getByRole('radio', { name: 'CRM' }).all()) await radio.check();
    await screenshot(page, 'sync-errors-fields-1280');
    await resolveFields.click();
    await fieldRow.waitFor({ state: 'detached' });
    const [link] = await gateway.stores.integration.query(`SELECT synced_values, conflicting_fields FROM integration.integration_record WHERE id = $1`, [byField.id]);
    const synced = JSON.parse(link.synced_values) as Record<string, [unknown, unknown]>;
    for (const field of byField.fields) assert.deepEqual(synced[field.field]![1], JSON.parse(field.crmValue), `${field.field} kept the CRM's value`);
    assert.equal(link.conflicting_fields, null);

    await page.setViewportSize(NARROW);
    await screenshot(page, 'sync-errors-narrow');
    assert.deepEqual(outside, []);
    await page.close();
  });

  it('follows a resolution queued behind a run of its mapping, then shows what it did', async () => {
    const pair = await freshConflict(gateway);
    const { page, outside } = await signedIn('operator');
    await page.goto(`${origin}/console/#/errors`);
    const row = page.getByTestId(`sync-error-${pair.id}`);
    await row.getByRole('checkbox').check();
    await whileMappingBusy(gateway, 'CUSTOMER', () => page.getByRole('button', { name: 'CRM wins' }).click());
    await page
      .getByRole('status')
      .getByText(/CUSTOMER: .*modified/)
      .waitFor();
    await row.waitFor({ state: 'detached' });
    assert.notEqual(await lastResult(gateway, pair.id), 'CONFLICT');
    assert.deepEqual(outside, []);
    await page.close();
  });

  /** Whether the customer `recordId` names (either side) is coupled. */
  const coupled = async (recordId: string): Promise<boolean> => {
    const [link] = await gateway.stores.integration.query(
      `SELECT count(*)::int AS n FROM integration.integration_record WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND (erp_id = $1 OR crm_id = $1)`,
      [decodeUnifiedId(recordId).key],
    );
    return link.n === 1;
  };

  it('lists the records the full synchronisation held as possible duplicates, and couples one from the page', async () => {
    const held = (await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: 100 })).data!.possibleDuplicates.edges.map((e) => e.node);
    assert.ok(held.length > 0, 'the demo company holds look-alike customers uncoupled, which the full synchronisation held');
    const target = held[0]!;
    const { page, outside } = await signedIn('operator');
    await page.goto(`${origin}/console/#/duplicates`);
    await page.getByRole('heading', { name: 'Possible duplicates', level: 1 }).waitFor();
    const row = page.getByTestId(`possible-duplicate-${target.id}`).first();
    await row.waitFor();
    // The held record is named as a person knows it (number and name), not left to be found through Compare.
    const heldSide = decodeUnifiedId(target.recordId);
    const [named] =
      heldSide.system === 'erp'
        ? await gateway.stores.erp.query(`SELECT no AS number, name FROM erp.customer WHERE system_id = $1`, [heldSide.key])
        : await gateway.stores.crm.query(`SELECT account_number AS number, name FROM crm.account WHERE id = $1`, [heldSide.key]);
    await row
      .getByText(`${named.number ?? ''} ${named.name}`.trim())
      .first()
      .waitFor();
    await row.getByRole('button', { name: 'Compare' }).click();
    // Both sides are read when Compare is pressed: counted once the second has come.
    await page.getByTestId('duplicate-compare').getByTestId('side-by-side').nth(1).waitFor();
    assert.equal(await page.getByTestId('duplicate-compare').getByTestId('side-by-side').count(), 2, 'the held record and the candidate side by side');
    await screenshot(page, 'possible-duplicates-1280');
    await row.getByRole('button', { name: 'Couple' }).click();
    await page
      .getByRole('status')
      .getByText(/COUPLE/)
      .waitFor();
    await page.getByTestId(`possible-duplicate-${target.id}`).first().waitFor({ state: 'detached' });
    assert.ok(await coupled(target.recordId), 'the held record is coupled');
    assert.deepEqual(outside, []);
    await page.close();
  });

  it('follows a possible duplicate created while its mapping is being synchronised, then shows what it did', async () => {
    const held = (await gateway.request(PossibleDuplicatesDocument, { mapping: 'CUSTOMER', first: 100 })).data!.possibleDuplicates.edges.map((e) => e.node);
    const target = held[0];
    assert.ok(target, 'another record held as a possible duplicate');
    const { page, outside } = await signedIn('operator');
    await page.goto(`${origin}/console/#/duplicates`);
    const row = page.getByTestId(`possible-duplicate-${target.id}`).first();
    await whileMappingBusy(gateway, 'CUSTOMER', () => row.getByRole('button', { name: 'Create' }).click());
    await page
      .getByRole('status')
      .getByText(/^CREATE: (?!nothing to do)\d+ \w+/)
      .waitFor({ timeout: 20_000 });
    assert.ok(await coupled(target.recordId), 'the held record was created on the other side by the time the page said so');
    assert.deepEqual(outside, []);
    await page.close();
  });

  /** The records page searched for the customer numbered `number`, and its row in the list (its ERP side's, when uncoupled). */
  const customerRow = async (page: Page, number: string) => {
    await page.goto(`${origin}/console/#/records`);
    await page.getByRole('region', { name: 'Search' }).getByRole('searchbox').fill(number);
    const row = page.getByRole('region', { name: 'Results' }).getByRole('row').filter({ hasText: number }).filter({ hasText: 'ERP' });
    await row.waitFor();
    return row;
  };

  it("follows a record's synchronisation queued behind a run of its mapping, then shows what it did and reads the record again", async () => {
    const pair = await freshConflict(gateway);
    const [{ number }] = await gateway.stores.integration.query(`SELECT erp_code AS number FROM integration.integration_record WHERE id = $1`, [pair.id]);
    const { page, outside } = await signedIn('operator');
    const row = await customerRow(page, number);
    await row.getByText('conflict').waitFor();
    await row.getByRole('button', { name: number }).click();
    const record = page.getByRole('region', { name: 'Record' });
    await whileMappingBusy(gateway, 'CUSTOMER', () => record.getByRole('button', { name: 'Copy CRM → ERP' }).click());
    await record
      .getByRole('status')
      .getByText(/^sync: (?!nothing to do)\d+ \w+/)
      .waitFor({ timeout: 20_000 });
    // The list is read again once the job has run, not only when the gateway answered with it waiting.
    await row.getByText('in sync').waitFor({ timeout: 20_000 });
    assert.equal((await gateway.stores.erp.query(`SELECT name FROM erp.customer WHERE system_id = $1`, [pair.erpId]))[0].name, 'Edited in the CRM');
    assert.deepEqual(outside, []);
    await page.close();
  });

  it('follows the synchronisation of couplings made by matching while their mapping is being synchronised, then shows what it did', async () => {
    // A pair in sync, uncoupled: matching on name and e-mail couples it again, and its synchronisation follows.
    const [pair] = await gateway.stores.integration.query(
      `SELECT erp_id AS "erpId", erp_code AS number FROM integration.integration_record
        WHERE mapping_name = 'CUSTOMER' AND erp_id IS NOT NULL AND crm_id IS NOT NULL AND last_result = 'SUCCESS' ORDER BY erp_code DESC LIMIT 1`,
    );
    const recordId = encodeUnifiedId({ typeName: 'Customer', system: 'erp', key: pair.erpId });
    assert.equal((await gateway.request(UncoupleDocument, { id: recordId }, gateway.tokens.operator)).errors, undefined);
    const { page, outside } = await signedIn('operator');
    const row = await customerRow(page, pair.number);
    await row.getByText('uncoupled').waitFor();
    const matching = page.getByRole('region', { name: 'Match-based coupling' });
    await matching.getByRole('textbox', { name: /^Match on/ }).fill('name, email');
    await matching.getByRole('checkbox', { name: 'synchronise new couplings' }).check();
    await matching.getByRole('button', { name: 'Dry run' }).click();
    await matching.getByRole('status').filter({ hasText: 'Dry run: nothing was written' }).waitFor();
    await whileMappingBusy(gateway, 'CUSTOMER', () => matching.getByRole('button', { name: 'Couple' }).click());
    await matching
      .getByRole('status')
      .filter({ hasText: 'Coupled' })
      .getByText(/^CUSTOMER: (?!nothing to do)\d+ \w+/)
      .waitFor({ timeout: 20_000 });
    // The list is read again once the synchronisation has run: the coupling is no longer waiting for it.
    await row.getByText(/^(in sync|skipped|conflict|failed)$/).waitFor({ timeout: 20_000 });
    assert.deepEqual(outside, []);
    await page.close();
  });

  it('shows a record from both sides and the mappings, wide and narrow', async () => {
    const { page, outside } = await signedIn('admin');
    await page.goto(`${origin}/console/#/records`);
    const results = page.getByRole('region', { name: 'Results' });
    await results.getByRole('row').nth(1).waitFor();
    await results.getByRole('row').nth(1).getByRole('button').click();
    await page.getByTestId('side-by-side').waitFor();
    await page.getByRole('button', { name: 'Dry run' }).click();
    const outcome = page.getByRole('status').filter({ hasText: 'Dry run: nothing was written' });
    await outcome.waitFor();
    // Samples name the records (number and name), not their opaque ids.
    await outcome
      .getByText(/already coupled: C\d{5} /)
      .first()
      .waitFor();
    await screenshot(page, 'records-1280');
    await page.setViewportSize(NARROW);
    await screenshot(page, 'records-narrow');
    await page.setViewportSize(WIDE);
    await page.goto(`${origin}/console/#/mappings`);
    const direction = page.getByRole('region', { name: 'Mapping SALESPEOPLE' }).getByLabel('Direction', { exact: true });
    await direction.waitFor();
    await screenshot(page, 'mappings-1280');
    await page.setViewportSize(NARROW);
    await screenshot(page, 'mappings-narrow');
    assert.deepEqual(outside, []);
    await page.close();
  });
});

describe('the console on a gateway whose token secret is configured', () => {
  let gateway: TestGateway;

  before(async () => {
    gateway = await startTestGateway({ label: 'console_prod', production: true });
  });
  after(() => gateway?.close());

  it('is served at /console and offers no tokens', async () => {
    const origin = new URL(gateway.url).origin;
    const page = await fetch(`${origin}/console/records`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<div id="root"><\/div>/);
    const tokens = await fetch(`${origin}/console/demo-tokens.json`);
    assert.equal(tokens.status, 404);
    assert.doesNotMatch(await tokens.text(), /eyJ/);
  });

  it("lets a viewer and an operator sign in: the console's sign-in reads the schema, which production shows to every role", async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const response = await graphqlRequest(gateway.url, INTROSPECTION_QUERY, {}, gateway.tokens[role]);
      assert.equal(response.body.errors, undefined, `${role}: ${response.text.slice(0, 300)}`);
      const features = SchemaFeatures.fromIntrospection(response.body.data as unknown as IntrospectionQuery);
      assert.ok(features.query('customers') && features.mutation('runSync'));
    }
    assert.deepEqual(codesOf((await graphqlRequest(gateway.url, INTROSPECTION_QUERY)).body), ['UNAUTHENTICATED']);
  });
});
