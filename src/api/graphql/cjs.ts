import { createRequire } from 'node:module';

/**
 * The CommonJS build of graphql, the one mercurius loads. Importing `graphql` from ESM gives a second copy
 * whose classes fail graphql's instanceof checks ("from another module or realm") inside mercurius.
 */
export const gql: typeof import('graphql') = createRequire(import.meta.url)('graphql');
