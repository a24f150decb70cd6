import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSchema, getIntrospectionQuery, graphqlSync, parse, validate, type GraphQLSchema, type IntrospectionQuery } from 'graphql';
import { standardTableMappings } from '../src/mappings/standard-mappings';
import { mutationWithArguments } from '../src/operator/api/feature-operations';
import type { OperatorFieldMappingFragment } from '../src/operator/api/generated/operations';
import { applyProgressEvent, emptyRun, expectedFromReview, runFraction, runLine } from '../src/operator/api/job-progress';
import { recordLabelsQuery } from '../src/operator/api/record-labels';
import { fieldDiffers, recordSidesQuery } from '../src/operator/api/record-sides';
import { TYPE_OF_MAPPING } from '../src/operator/api/record-types';
import { SchemaFeatures } from '../src/operator/api/schema-features';
import { buildGatewaySchema } from '../src/server/schema';

const featuresOf = (schema: GraphQLSchema) => SchemaFeatures.fromIntrospection(graphqlSync({ schema, source: getIntrospectionQuery() }).data as unknown as IntrospectionQuery);

const valid = (schema: GraphQLSchema, query: string) =>
  assert.deepEqual(
    validate(schema, parse(query)).map((e) => e.message),
    [],
    query,
  );

/** A gateway before the round-two operations, and one after (the names of DESIGN §5). */
const BEFORE = `
  scalar DateTimeISO
  type SyncJob { id: ID! status: String! processed: Int! }
  type FullSyncRun { id: ID! status: String! startedAt: DateTimeISO! jobs: [SyncJob!]! }
  type Query { fullSyncRun(id: ID): FullSyncRun }
  type Mutation { startFullSync: FullSyncRun! runSync(mapping: ID!, mode: String!): SyncJob! }
`;
const AFTER = `
  scalar DateTimeISO
  type SyncJob { id: ID! status: String! processed: Int! }
  type FullSyncRun { id: ID! status: String! startedAt: DateTimeISO! jobs: [SyncJob!]! }
  type FieldChange { value: String changedAt: DateTimeISO! job: SyncJob }
  type Query {
    fullSyncRun(id: ID): FullSyncRun
    fieldHistory(recordId: ID!, field: String!, first: Int, after: String): [FieldChange!]!
  }
  type Mutation {
    startFullSync(dryRun: Boolean): FullSyncRun!
    runSync(mapping: ID!, mode: String!, dryRun: Boolean): SyncJob!
    pauseFullSync(runId: ID!): FullSyncRun!
    resumeFullSync(runId: ID!): FullSyncRun!
  }
`;

describe('the console and the CLI build operations the gateway accepts', () => {
  it('reads both sides of a record of every mapping with the fields its field mappings move, and names its records', async () => {
    const schema = await buildGatewaySchema();
    const features = featuresOf(schema);
    for (const mapping of standardTableMappings) {
      const fields = mapping.fields.map((f, i) => ({ id: String(i), erpField: f.erp, crmField: f.crm }) as OperatorFieldMappingFragment);
      const query = recordSidesQuery(features, mapping.name, fields);
      assert.ok(query, `${mapping.name} has a unified type (${TYPE_OF_MAPPING[mapping.name]})`);
      valid(schema, query);
      const labels = recordLabelsQuery(features, mapping.name, ['a', 'b']);
      if (labels) valid(schema, labels.query);
      const erpFields = features.leafFields(
        features.fieldObjectType(TYPE_OF_MAPPING[mapping.name]!, 'erp'),
        fields.flatMap((f) => (f.erpField ? [f.erpField] : [])),
      );
      assert.ok(erpFields.length > 0, `${mapping.name}: some mapped ERP field is read`);
    }
  });

  it('builds an operation only where the schema has it, its result selected from the schema', () => {
    const before = featuresOf(buildSchema(BEFORE));
    assert.equal(mutationWithArguments(before, 'pauseFullSync', { runId: 'ID!' }), null);
    assert.equal(mutationWithArguments(before, 'startFullSync', { dryRun: 'Boolean' }), null);
    assert.equal(mutationWithArguments(before, 'runSync', { mapping: 'ID!', mode: 'String!', dryRun: 'Boolean' }), null);
    assert.equal(before.query('fieldHistory'), undefined);

    const schema = buildSchema(AFTER);
    const after = featuresOf(schema);
    for (const name of ['pauseFullSync', 'resumeFullSync']) {
      const query = mutationWithArguments(after, name, { runId: 'ID!' });
      assert.ok(query);
      valid(schema, query);
      assert.match(query, /jobs \{ __typename id status processed \}/, 'the run is selected with its jobs');
    }
    for (const query of [
      mutationWithArguments(after, 'startFullSync', { dryRun: 'Boolean' }),
      mutationWithArguments(after, 'runSync', { mapping: 'ID!', mode: 'String!', dryRun: 'Boolean' }),
    ]) {
      assert.ok(query);
      valid(schema, query);
    }
    const history = after.query('fieldHistory')!;
    assert.equal(history.args.map((a) => `${a.name}: ${a.type}`).join(', '), 'recordId: ID!, field: String!, first: Int, after: String');
    valid(
      schema,
      `query ($recordId: ID!, $field: String!) { fieldHistory(recordId: $recordId, field: $field, first: 20) ${after.selectionOf(after.objectType('FieldChange')!, 1)} }`,
    );
  });

  it('highlights values that differ, and only those a plain comparison can judge', () => {
    const plain = { transformation: 'NONE', constantValue: null, erpField: 'name' } as const;
    assert.equal(fieldDiffers(plain, 'Contoso', 'Contoso '), false);
    assert.equal(fieldDiffers(plain, 'Contoso', 'Fabrikam'), true);
    assert.equal(fieldDiffers(plain, null, ''), false);
    assert.equal(fieldDiffers(plain, 10000, 10000), false);
    assert.equal(fieldDiffers(plain, 10000, 9000), true);
    assert.equal(fieldDiffers({ ...plain, transformation: 'TRUNCATE' }, 'A long description', 'A long'), false);
    assert.equal(fieldDiffers({ ...plain, transformation: 'TRUNCATE' }, 'A long description', 'Another'), true);
    assert.equal(fieldDiffers({ ...plain, transformation: 'COUPLING' }, 'CHOWE', 'bedf7491-0912-5f05-a346-f96e1852ab51'), null);
    assert.equal(fieldDiffers({ ...plain, constantValue: 'CUSTOMER', erpField: null }, 'CUSTOMER', 'CUSTOMER'), null);
  });

  it('moves the overall bar only forwards as jobs start, report estimates and finish', () => {
    const job = (id: string, mappingName: string, direction: string, status: string, processed: number, estimatedTotal: number | null) =>
      ({ id, mappingName, direction, status, processed, estimatedTotal }) as never;
    const expected = expectedFromReview([
      { mappingName: 'CURRENCY', erpRecords: 5, crmRecords: 5 },
      { mappingName: 'CUSTOMER', erpRecords: 40, crmRecords: 20 },
    ]);
    const steps = [
      job('a', 'CURRENCY', 'TO_CRM', 'RUNNING', 2, 5),
      job('a', 'CURRENCY', 'TO_CRM', 'SUCCEEDED', 5, 5),
      job('b', 'CUSTOMER', 'TO_CRM', 'RUNNING', 0, 120),
      job('b', 'CUSTOMER', 'TO_CRM', 'RUNNING', 60, 120),
      job('b', 'CUSTOMER', 'TO_CRM', 'SUCCEEDED', 130, 120),
      job('c', 'CUSTOMER', 'FROM_CRM', 'RUNNING', 10, 20),
      job('c', 'CUSTOMER', 'FROM_CRM', 'SUCCEEDED', 20, 20),
    ];
    let state = [
      job('a', 'CURRENCY', 'TO_CRM', 'WAITING', 0, null),
      job('b', 'CUSTOMER', 'TO_CRM', 'WAITING', 0, null),
      job('c', 'CUSTOMER', 'FROM_CRM', 'WAITING', 0, null),
    ].reduce((run, j) => applyProgressEvent(run, { kind: 'SNAPSHOT', job: j }), emptyRun);
    const seen = [runFraction(state, expected)];
    for (const step of steps) {
      state = applyProgressEvent(state, { kind: 'PROGRESS', job: step });
      seen.push(runFraction(state, expected));
    }
    assert.ok(
      seen.every((value, i) => i === 0 || value >= seen[i - 1]!),
      seen.join(' → '),
    );
    assert.equal(seen[0], 0);
    assert.equal(seen.at(-1), 1);
  });

  it("takes the overall bar and its line from the run's own figures, never backwards when a job's count raises the total", () => {
    const figures = (processed: number, estimatedTotal: number, jobsFinished: number) => ({
      processed,
      estimatedTotal,
      recordsPerSecond: 50,
      etaSeconds: (estimatedTotal - processed) / 50,
      jobs: 3,
      jobsFinished,
    });
    const run = { id: 'r', status: 'RUNNING', startedAt: '', finishedAt: null, requestedBy: 'admin', message: null } as never;
    let state = applyProgressEvent(emptyRun, { kind: 'SNAPSHOT', run, runProgress: figures(0, 100, 0) });
    const seen = [runFraction(state)];
    for (const step of [figures(50, 100, 1), figures(55, 120, 1), figures(120, 120, 3)]) {
      state = applyProgressEvent(state, { kind: 'PROGRESS', runProgress: step });
      seen.push(runFraction(state));
    }
    assert.deepEqual(seen, [0, 0.5, 0.5, 1]);
    assert.equal(
      runLine(applyProgressEvent(emptyRun, { kind: 'PROGRESS', runProgress: figures(50, 100, 1) })),
      '1 of 3 jobs finished · 50 of 100 records · 50.0 records/s · ETA 1 s',
    );
  });
});
