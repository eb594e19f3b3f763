import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type Harness } from './harness.ts';

const ADD = 'mutation($p: String!, $r: String!) { blacklistNumber(phone: $p, reason: $r) { streamId } }';
const REMOVE = 'mutation($p: String!, $r: String!) { unblacklistNumber(phone: $p, reason: $r) { streamId } }';
const LIST = '{ blacklist { phone reason by at } }';

describe('blacklist over GraphQL', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startServer({}, 'api_blacklist');
  });
  afterAll(async () => h?.close());

  it('a supervisor lists a number written any common way; it shows with who and why', async () => {
    const r = await h.gql(ADD, { p: '138 0013 8301', r: '诈骗 fraud' }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    const list = await h.gql(LIST, {}, await h.token('auditor'));
    expect(list.data.blacklist).toEqual([expect.objectContaining({ phone: '+8613800138301', reason: '诈骗 fraud', by: 'sup-east' })]);
  });

  it('only an admin takes a number off; agents may not list numbers; a bad number says why', async () => {
    expect((await h.gql(ADD, { p: '13800138302', r: 'x' }, await h.token('agent-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(REMOVE, { p: '+8613800138301', r: 'x' }, await h.token('sup-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const bad = await h.gql(ADD, { p: '12', r: 'x' }, await h.token('sup-east'));
    expect(bad.errors?.[0].extensions.code).toMatch(/PHONE/);
    const removed = await h.gql(REMOVE, { p: '+8613800138301', r: '误报 mistake' }, await h.token('admin'));
    expect(removed.errors).toBeUndefined();
    expect((await h.gql(LIST, {}, await h.token('admin'))).data.blacklist).toEqual([]);
    expect((await h.gql(REMOVE, { p: '+8613800138301', r: 'again' }, await h.token('admin'))).errors?.[0].extensions.code).toBe('NOT_BLACKLISTED');
  });
});
