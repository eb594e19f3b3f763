import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabasePool } from 'slonik';
import { inScope, type Scope } from '../../src/api/auth/principal.ts';
import type { ReadModels } from '../../src/api/readModels.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
const usersQueries: string[] = [];
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

/** Counts the queries that read api.users, to prove nested people are loaded in one batch. */
function counting(pool: DatabasePool): DatabasePool {
  return new Proxy(pool, {
    get(target, prop, recv) {
      const v = Reflect.get(target, prop, recv);
      if (prop !== 'any' || typeof v !== 'function') return typeof v === 'function' ? v.bind(target) : v;
      return (q: any) => {
        if (/api\.users/.test(q.sql)) usersQueries.push(q.sql);
        return v.call(target, q);
      };
    },
  });
}

const owners = ['agent-east', 'agent-east-2', 'agent-sh', 'agent-west'];
const rows = Array.from({ length: 40 }, (_, i) => ({
  id: `+86138001390${String(i).padStart(2, '0')}`,
  phone: `+86138001390${String(i).padStart(2, '0')}`,
  phoneDisplay: `138 0013 90${String(i).padStart(2, '0')}`,
  status: 'NEW',
  attempts: 0,
  createdAt: '2026-03-01T01:00:00Z',
  position: i + 1,
  ownerId: owners[i % owners.length],
}));

/** A read model honouring the scope contract: only rows whose owner the caller may see. */
const readModels: ReadModels = {
  leads: async (args, scope: Scope) => {
    const visible = rows.filter((r) => inScope(scope, r.ownerId)).slice(0, args.first);
    return { nodes: visible, pageInfo: { hasNextPage: false, endCursor: null } };
  },
};

beforeAll(async () => {
  h = await startServer({ readModels }, 'api_rm', counting);
});
afterAll(() => h?.close());

const LEADS = '{ leads(first: 100) { nodes { phone owner { id username team { id } } } } }';

describe('read-model queries', () => {
  it('hands the caller’s scope to the read model', async () => {
    const mine = await h.gql(LEADS, {}, await h.token('agent-east'));
    expect(new Set(mine.data.leads.nodes.map((n: any) => n.owner.id))).toEqual(new Set(['agent-east']));
    const sup = await h.gql(LEADS, {}, await h.token('sup-east'));
    expect(new Set(sup.data.leads.nodes.map((n: any) => n.owner.id))).toEqual(new Set(['agent-east', 'agent-east-2', 'agent-sh']));
    const all = await h.gql(LEADS, {}, await h.token('auditor'));
    expect(all.data.leads.nodes).toHaveLength(40);
  });

  it('loads the people of a whole page in one query', async () => {
    const token = await h.token('admin');
    usersQueries.length = 0;
    const r = await h.gql(LEADS, {}, token);
    expect(r.data.leads.nodes[3].owner).toEqual({ id: 'agent-west', username: 'agent-west', team: { id: 'west-a' } });
    expect(usersQueries).toHaveLength(1);
  });

  it('says NOT_AVAILABLE for a read model the server was not given, after checking the caller', async () => {
    expect(code(await h.gql('{ orders { nodes { id } } }'))).toBe('UNAUTHENTICATED');
    expect(code(await h.gql('{ orders { nodes { id } } }', {}, await h.token('admin')))).toBe('NOT_AVAILABLE');
  });
});
