import { Field, Int, ObjectType, type ClassType } from 'type-graphql';

@ObjectType()
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** A Relay connection type for `node`: `${name}Connection` with `${name}Edge`s. */
export function Connection<T extends object>(name: string, node: ClassType<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => node)
    node!: T;

    @Field()
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'All records that match the filter; costs one extra statement when asked for.' })
    totalCount!: number;
  }
  return ConnectionType;
}

/** A connection's value for one page: its nodes with their cursors, its page info, and a total counted only when asked for. */
export function connectionOf<T>(page: { nodes: readonly T[]; cursors: readonly string[]; hasNextPage: boolean; totalCount: () => Promise<number> }, after: string | null) {
  const { nodes, cursors } = page;
  return {
    edges: nodes.map((node, index) => ({ node, cursor: cursors[index]! })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: Boolean(after),
      startCursor: cursors[0] ?? null,
      endCursor: cursors[cursors.length - 1] ?? null,
    },
    get totalCount() {
      return page.totalCount();
    },
  };
}
