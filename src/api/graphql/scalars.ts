import { Kind, type ValueNode } from 'graphql';
import { gql } from './cjs.ts';

const { GraphQLError, GraphQLScalarType } = gql;

function literal(ast: ValueNode): unknown {
  switch (ast.kind) {
    case Kind.STRING:
    case Kind.BOOLEAN:
      return ast.value;
    case Kind.INT:
    case Kind.FLOAT:
      return Number(ast.value);
    case Kind.OBJECT:
      return Object.fromEntries(ast.fields.map((f) => [f.name.value, literal(f.value)]));
    case Kind.LIST:
      return ast.values.map(literal);
    default:
      return null;
  }
}

const toIso = (v: unknown): string => {
  const d = v instanceof Date ? v : typeof v === 'number' ? new Date(v) : new Date(String(v));
  if (Number.isNaN(d.getTime())) throw new GraphQLError(`not a date-time: ${String(v)}`);
  return d.toISOString();
};

const parseIso = (v: unknown): string => {
  if (typeof v !== 'string' || Number.isNaN(Date.parse(v)) || !/^\d{4}-\d{2}-\d{2}T/.test(v))
    throw new GraphQLError(`DateTime must be ISO-8601 with a time, e.g. 2026-03-01T09:30:00+08:00; got ${JSON.stringify(v)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return v;
};

const parsePosition = (v: unknown): number => {
  const n = typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0)
    throw new GraphQLError(`Position must be a whole number >= 0; got ${JSON.stringify(v)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return n;
};

const parseMoney = (v: unknown): number => {
  if (typeof v !== 'number' || !Number.isSafeInteger(v))
    throw new GraphQLError(`Money is an integer number of fen; got ${JSON.stringify(v)}`, { extensions: { code: 'BAD_USER_INPUT' } });
  return v;
};

export const scalars = {
  DateTime: new GraphQLScalarType({
    name: 'DateTime',
    serialize: toIso,
    parseValue: parseIso,
    parseLiteral: (ast) => parseIso(ast.kind === Kind.STRING ? ast.value : undefined),
  }),
  Position: new GraphQLScalarType({
    name: 'Position',
    serialize: (v) => Number(v),
    parseValue: parsePosition,
    parseLiteral: (ast) => parsePosition(ast.kind === Kind.INT || ast.kind === Kind.STRING ? ast.value : undefined),
  }),
  Money: new GraphQLScalarType({
    name: 'Money',
    serialize: (v) => Number(v),
    parseValue: parseMoney,
    parseLiteral: (ast) => parseMoney(ast.kind === Kind.INT ? Number(ast.value) : undefined),
  }),
  JSON: new GraphQLScalarType({
    name: 'JSON',
    serialize: (v) => v,
    parseValue: (v) => v,
    parseLiteral: literal,
  }),
};
