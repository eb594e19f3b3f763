import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GraphQLSchema } from 'graphql';
import { gql } from '../../src/api/graphql/cjs.ts';
import { costLimitRule } from '../../src/api/graphql/limits.ts';

const dir = fileURLToPath(new URL('../../src/api/schema/', import.meta.url));
/** The server's default cost ceiling (src/api/server.ts): a console query above it is refused in production. */
export const MAX_QUERY_COST = 20_000;
let schema: GraphQLSchema | null = null;

/** The API's schema as committed in src/api/schema (common.graphql first: it declares the root types). */
export function apiSchema(): GraphQLSchema {
  if (schema) return schema;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort((a, b) => (a === 'common.graphql' ? -1 : b === 'common.graphql' ? 1 : a.localeCompare(b)));
  // The CJS graphql the server and its cost rule use, so the rule's instanceof checks hold.
  schema = gql.buildSchema(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n'));
  return schema;
}

/** Validation messages for one document against the API schema and its cost limit; empty when the server would run it. */
export function schemaErrors(query: string): string[] {
  return gql.validate(apiSchema(), gql.parse(query), [...gql.specifiedRules, costLimitRule(MAX_QUERY_COST)]).map((e) => e.message);
}
