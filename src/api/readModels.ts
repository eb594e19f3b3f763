import type { Scope } from './auth/principal.ts';

/** A page of a cursor connection. */
export interface Page<T> {
  nodes: T[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null; totalCount?: number | null };
}

export interface PageArgs {
  first: number;
  after?: string | null;
  /** Read-model schema to read from: 'rm' live, or an as-of schema built for this request. */
  schema?: string;
}

/**
 * The read-model queries the API serves, injected by the composition root (src/main.ts) from
 * src/projections/readModels/<name>/queries.ts. Each takes the caller's scope and must only return rows
 * inside it. A query left out is answered with NOT_AVAILABLE rather than guessed.
 */
export interface ReadModels {
  leads?: (args: PageArgs & { filter?: Record<string, unknown>; sort?: string; direction?: string }, scope: Scope) => Promise<Page<Record<string, unknown>>>;
  lead?: (id: string, scope: Scope, schema?: string) => Promise<Record<string, unknown> | null>;
  customer?: (phoneE164: string, scope: Scope, schema?: string) => Promise<Record<string, unknown> | null>;
  calls?: (args: PageArgs & { filter?: Record<string, unknown>; direction?: string }, scope: Scope) => Promise<Page<Record<string, unknown>>>;
  call?: (id: string, scope: Scope, schema?: string) => Promise<Record<string, unknown> | null>;
  campaigns?: (args: PageArgs & { filter?: Record<string, unknown> }, scope: Scope) => Promise<Page<Record<string, unknown>>>;
  campaign?: (id: string, scope: Scope, schema?: string) => Promise<Record<string, unknown> | null>;
  queues?: (args: { departmentId?: string; schema?: string }, scope: Scope) => Promise<Record<string, unknown>[]>;
  agentStates?: (args: { filter?: Record<string, unknown>; schema?: string }, scope: Scope) => Promise<Record<string, unknown>[]>;
  agentRanking?: (args: Record<string, unknown>, scope: Scope) => Promise<Record<string, unknown>[]>;
  orders?: (args: PageArgs & { filter?: Record<string, unknown>; direction?: string }, scope: Scope) => Promise<Page<Record<string, unknown>>>;
  qaScores?: (args: PageArgs & { filter?: Record<string, unknown> }, scope: Scope) => Promise<Page<Record<string, unknown>>>;
  /** `viewer`: the caller's user id (their private callbacks are theirs alone). */
  callbacks?: (args: PageArgs & { filter?: Record<string, unknown> }, scope: Scope, viewer?: string) => Promise<Page<Record<string, unknown>>>;
  dnc?: (args: PageArgs & { filter?: Record<string, unknown> }, scope: Scope) => Promise<Page<Record<string, unknown>>>;
  /** Builds read models as of a position or instant and returns the schema to read from. */
  asOf?: (at: { position?: number; instant?: string }) => Promise<{ schema: string; release(): Promise<void> }>;
}
