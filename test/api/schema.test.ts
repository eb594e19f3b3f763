import { buildSchema, getNamedType, isObjectType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { loadSchemaSdl } from '../../src/api/schema/load.ts';

const schema = buildSchema(loadSchemaSdl());
const real = (fields: Record<string, unknown>) => Object.keys(fields).filter((f) => f !== '_noop');

describe('GraphQL schema', () => {
  it('builds from the SDL files', () => {
    expect(real(schema.getQueryType()!.getFields()).length).toBeGreaterThan(20);
  });

  it('gives every command mutation an optional commandId and a CommandResult', () => {
    const exempt = new Set(['login', 'logout']);
    for (const [name, field] of Object.entries(schema.getMutationType()!.getFields())) {
      if (name === '_noop' || exempt.has(name)) continue;
      const arg = field.args.find((a) => a.name === 'commandId');
      expect(arg, `${name} has commandId`).toBeDefined();
      expect(String(arg!.type), `${name} commandId optional`).toBe('ID');
      expect(String(field.type), `${name} returns CommandResult`).toBe('CommandResult!');
    }
  });

  it('lets every subscription resume from a position', () => {
    for (const [name, field] of Object.entries(schema.getSubscriptionType()!.getFields())) {
      if (name === '_noop') continue;
      expect(field.args.map((a) => a.name), name).toContain('afterPosition');
      const payload = getNamedType(field.type);
      expect(isObjectType(payload) && 'position' in payload.getFields(), `${name} payload has position`).toBe(true);
    }
  });

  it('covers the read models the floor needs', () => {
    const q = schema.getQueryType()!.getFields();
    for (const f of ['customer', 'leads', 'campaigns', 'agentRanking', 'calls', 'recordings', 'queues', 'orders', 'qaScores', 'callbacks', 'dnc', 'history', 'verify', 'evidenceBundle', 'me'])
      expect(q[f], f).toBeDefined();
  });
});
