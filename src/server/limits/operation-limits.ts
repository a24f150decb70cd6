import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesRule } from '@escape.tech/graphql-armor-max-directives';
import { GraphQLError, type ASTNode, type DocumentNode, type GraphQLSchema, type ValidationContext, type ValidationRule } from 'graphql';
import type { EdgeLimits } from '../../config/config';
import { DomainError } from '../../errors/domain-error';
import { ErrorCode } from '../../errors/error-codes';
import { estimateCost } from './operation-cost';

/** A refusal before execution, carrying its DomainError (the formatter reads the code from it) and HTTP 400. */
export function refusal(error: DomainError, status = 400, nodes?: readonly ASTNode[]): GraphQLError {
  return new GraphQLError(error.message, { nodes, originalError: error, extensions: { code: error.code, http: { status } } });
}

export function refusedOperation(code: ErrorCode, message: string, status = 400, nodes?: readonly ASTNode[]): GraphQLError {
  return refusal(new DomainError(code, message), status, nodes);
}

/**
 * Depth, aliases and directives (graphql-armor's rules, reporting QUERY_TOO_COMPLEX). They are
 * validation rules, so they run once per distinct document: Apollo keeps validated documents.
 */
export function limitRules(limits: EdgeLimits): ValidationRule[] {
  const options = {
    exposeLimits: true,
    propagateOnRejection: false,
    onReject: [
      (context: ValidationContext | null, error: GraphQLError) =>
        context?.reportError(refusedOperation(ErrorCode.QUERY_TOO_COMPLEX, error.message.replace(/^Syntax Error: /, ''), 400, error.nodes)),
    ],
  };
  return [
    maxDepthRule({ ...options, n: limits.maxDepth, flattenFragments: true }),
    maxAliasesRule({ ...options, n: limits.maxAliases }),
    maxDirectivesRule({ ...options, n: limits.maxDirectives }),
  ];
}

/** Throws QUERY_TOO_COMPLEX when the operation's estimated cost (with these variables) is over the limit. */
export function assertAffordable(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Readonly<Record<string, unknown>> | null | undefined,
  limits: EdgeLimits,
): void {
  const cost = estimateCost(schema, document, operationName, variables);
  if (cost > limits.maxCost) {
    throw refusedOperation(
      ErrorCode.QUERY_TOO_COMPLEX,
      `The operation's estimated cost ${cost} is over the limit of ${limits.maxCost}: ask for smaller pages or fewer nested lists`,
    );
  }
}
