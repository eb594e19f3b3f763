import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IvrMenus } from '../../src/inbound/ivr/menus.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startServer({}, 'api_ivr_admin');
});
afterAll(async () => {
  await h?.close();
});

const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const SET = 'mutation($id: ID!, $input: IvrMenuInput!) { setIvrMenu(id: $id, input: $input) { events { type } } }';
const REMOVE = 'mutation($id: ID!, $reason: String, $cmd: ID) { removeIvrMenu(id: $id, reason: $reason, commandId: $cmd) { position repeated events { type } } }';
const MENUS = 'query { ivrMenus { id name departmentId options } }';
const input = (name: string, departmentId?: string) => ({ name, departmentId, options: { '1': { queue: 'sales' }, '9': { hangup: true } } });

async function menus(user = 'admin') {
  const r = await h.gql(MENUS, {}, await h.token(user));
  expect(r.errors).toBeUndefined();
  return r.data.ivrMenus as { id: string; name: string; departmentId: string | null }[];
}

describe('removeIvrMenu', () => {
  it('a supervisor of the menu\'s department removes it; the list drops it and the switch treats it as absent', async () => {
    expect((await h.gql(SET, { id: 'hotline', input: input('售后热线') }, await h.token('sup-east'))).errors).toBeUndefined();
    expect((await menus()).find((m) => m.id === 'hotline')).toMatchObject({ name: '售后热线', departmentId: 'east' });
    const live = new IvrMenus(h.store);
    await live.sync();
    expect(live.latest('hotline')?.version).toBe(1);

    const r = await h.gql(REMOVE, { id: 'hotline', reason: '热线停用 / line retired', cmd: 'rm-1' }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.removeIvrMenu.events).toEqual([{ type: 'IvrMenuRemoved' }]);
    expect((await h.gql(REMOVE, { id: 'hotline', reason: '热线停用 / line retired', cmd: 'rm-1' }, await h.token('sup-east'))).data.removeIvrMenu).toMatchObject({ repeated: true, position: r.data.removeIvrMenu.position });
    const removed = (await h.store.readStream('ivr-hotline')).at(-1)!;
    expect(removed).toMatchObject({ type: 'IvrMenuRemoved', data: { menuId: 'hotline', version: 1, reason: '热线停用 / line retired', removedBy: 'sup-east', departmentId: 'east' } });
    expect((await menus()).map((m) => m.id)).not.toContain('hotline');
    await live.sync();
    expect(live.latest('hotline')).toBeUndefined();
    expect(live.absentReason('hotline')).toMatch(/removed/);

    const again = await h.gql(REMOVE, { id: 'hotline' }, await h.token('sup-east'));
    expect(code(again)).toBe('IVR_REMOVED');
    expect(again.errors?.[0].extensions.reason).toMatch(/publish it again/);
  });

  it('publishing a removed menu brings it back as the next version, in its department', async () => {
    await h.gql(SET, { id: 'back', input: input('回来') }, await h.token('sup-east'));
    await h.gql(REMOVE, { id: 'back' }, await h.token('admin'));
    const r = await h.gql(SET, { id: 'back', input: input('回来了') }, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    expect((await h.store.readStream('ivr-back')).at(-1)!.data).toMatchObject({ version: 2, departmentId: 'east', name: '回来了' });
    expect((await menus()).find((m) => m.id === 'back')).toMatchObject({ name: '回来了', departmentId: 'east' });
    const moved = await h.gql(SET, { id: 'back', input: input('搬走', 'west') }, await h.token('admin'));
    expect(code(moved)).toBe('IVR_DEPARTMENT_FIXED');
  });

  it('other departments and the floor may neither edit nor remove a department\'s menu', async () => {
    await h.gql(SET, { id: 'east-main', input: input('华东总机') }, await h.token('sup-east'));
    expect(code(await h.gql(REMOVE, { id: 'east-main' }, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(SET, { id: 'east-main', input: input('改名') }, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(SET, { id: 'west-sneak', input: input('偷建', 'east') }, await h.token('sup-west')))).toBe('FORBIDDEN');
    for (const user of ['agent-east', 'tl-east', 'auditor']) expect(code(await h.gql(REMOVE, { id: 'east-main' }, await h.token(user)))).toBe('FORBIDDEN');
    expect((await h.store.readStream('ivr-east-main')).map((e) => e.type)).toEqual(['IvrMenuPublished']);
    expect(code(await h.gql(REMOVE, { id: 'no-such-menu' }, await h.token('admin')))).toBe('NOT_FOUND');
    expect((await h.gql(REMOVE, { id: 'east-main', reason: '合并' }, await h.token('admin'))).errors).toBeUndefined();
  });
});
