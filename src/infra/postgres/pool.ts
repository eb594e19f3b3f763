import {
  createPool as createSlonikPool,
  createTypeParserPreset,
  SchemaValidationError,
  type DatabasePool,
  type Interceptor,
  type QueryResultRow,
} from 'slonik';

/** Without this interceptor slonik only types results statically; with it, `sql.type(schema)` validates rows. */
const resultParser: Interceptor = {
  name: 'result-parser',
  transformRowAsync: async (ctx, query, row) => {
    if (!ctx.resultParser) return row;
    const r = await ctx.resultParser['~standard'].validate(row);
    if (r.issues) throw new SchemaValidationError(query, row as any, r.issues);
    return r.value as QueryResultRow;
  },
};

export interface PoolOptions {
  maxPoolSize?: number;
  statementTimeout?: number | 'DISABLE_TIMEOUT';
}

/**
 * int8 columns (positions, counters) come back as JS numbers: they stay far below 2^53 here, and numbers
 * serialise to JSON and GraphQL without ceremony.
 */
export async function createPool(url: string, opts: PoolOptions = {}): Promise<DatabasePool> {
  return createSlonikPool(url, {
    interceptors: [resultParser],
    maxPoolSize: opts.maxPoolSize ?? 10,
    statementTimeout: opts.statementTimeout ?? 60_000,
    idleTimeout: 30_000,
    typeParsers: [
      ...createTypeParserPreset().filter((p) => p.name !== 'int8'),
      { name: 'int8', parse: (v: string) => Number(v) },
    ],
  });
}
