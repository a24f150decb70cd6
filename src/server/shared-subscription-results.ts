import { createSourceEventStream, execute, print, type ExecutionArgs, type ExecutionResult } from 'graphql';

type Result = ExecutionResult | Promise<ExecutionResult>;

/** Per event, the result of each distinct operation (document, operation, variables) on it. */
const results = new WeakMap<object, Map<string, Result>>();

const isAsyncIterable = (value: unknown): value is AsyncIterable<unknown> => typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

/**
 * graphql-js executes every event once per subscriber. Our subscriptions hand every subscriber of
 * a process the same event object (one NOTIFY, parsed once), and what a subscription selects
 * from it depends on nothing but the event and the operation, so subscribers of the same
 * operation share one execution per event: a thousand subscribers cost one execution, not a thousand.
 */
export async function subscribeSharingResults(args: ExecutionArgs): Promise<AsyncGenerator<ExecutionResult> | ExecutionResult> {
  const source = await createSourceEventStream(args);
  if (!isAsyncIterable(source)) return source as ExecutionResult;
  const operation = `${print(args.document)}\u0000${args.operationName ?? ''}\u0000${JSON.stringify(args.variableValues ?? {})}`;
  return (async function* () {
    for await (const event of source) {
      if (typeof event !== 'object' || event === null) {
        yield await execute({ ...args, rootValue: event });
        continue;
      }
      let byOperation = results.get(event);
      if (!byOperation) results.set(event, (byOperation = new Map()));
      let result = byOperation.get(operation);
      if (!result) byOperation.set(operation, (result = execute({ ...args, rootValue: event })));
      yield await result;
    }
  })();
}
