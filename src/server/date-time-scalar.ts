import { GraphQLScalarType } from 'graphql';
import { GraphQLDateTimeISO } from 'graphql-scalars';

/** The form DateTimeISO writes (what `Date.prototype.toISOString` gives for years 0–9999). */
const WRITTEN_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

const standard = GraphQLDateTimeISO.toConfig();

/**
 * graphql-scalars' DateTimeISO, except that a value already in the form it writes (the timestamps
 * a compiled read returns) is written as it is instead of being parsed and formatted again.
 */
export const DateTimeISO = new GraphQLScalarType<Date, string>({
  ...standard,
  serialize: (value) => (typeof value === 'string' && WRITTEN_FORM.test(value) ? value : standard.serialize!(value)),
});
