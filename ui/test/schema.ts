import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';

const dir = fileURLToPath(new URL('../../src/api/schema/', import.meta.url));
let schema: GraphQLSchema | null = null;

/** The API's schema as committed in src/api/schema (common.graphql first: it declares the root types). */
export function apiSchema(): GraphQLSchema {
  if (schema) return schema;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.graphql')).sort((a, b) => (a === 'common.graphql' ? -1 : b === 'common.graphql' ? 1 : a.localeCompare(b)));
  schema = buildSchema(files.map((f) => fs.readFileSync(path.join(dir, f), 'utf8')).join('\n'));
  return schema;
}

/** Validation messages for one document against the API schema; empty when it is valid. */
export function schemaErrors(query: string): string[] {
  return validate(apiSchema(), parse(query)).map((e) => e.message);
}
