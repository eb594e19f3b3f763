import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { IvrCommand } from './commands.ts';
import { ivrDecider } from './decider.ts';
import type { IvrEvent, IvrMenu, IvrMenuPublished } from './events.ts';

type IvrMenuPublishedData = IvrMenuPublished['data'];

const at = '2026-03-02T01:00:00.000Z';
const cmd = <C extends IvrCommand>(type: C['type'], data: C['data']) => ({ type, data, meta: { now: at } }) as C;
const menu: IvrMenu = {
  rootNodeId: 'main',
  nodes: [
    {
      id: 'main',
      promptText: '售后请按1，购买请按2，人工请按0',
      choices: {
        '1': { kind: 'queue', id: 'after-sales' },
        '2': { kind: 'node', id: 'buy' },
        '0': { kind: 'queue', id: 'general' },
      },
      timeoutSeconds: 5,
      maxRetries: 2,
      onFailure: { kind: 'queue', id: 'general' },
    },
    {
      id: 'buy',
      promptFile: 'buy.wav',
      choices: { '#': { kind: 'node', id: 'main' } },
      timeoutSeconds: 5,
      maxRetries: 1,
      onFailure: { kind: 'hangup' },
    },
  ],
};
const v1: IvrEvent = {
  type: 'IvrMenuPublished',
  data: { menuId: 'm1', at, name: '总机', version: 1, menu, publishedBy: undefined },
};
const menu2: IvrMenu = { ...menu, nodes: [{ ...menu.nodes[0], timeoutSeconds: 8 }, menu.nodes[1]] };
const v2: IvrEvent = { type: 'IvrMenuPublished', data: { menuId: 'm1', at, name: '总机', version: 2, menu: menu2 } };

describe('IVR menus', () => {
  it('publishes a valid menu as version 1, then an edit as version 2', () => {
    given(ivrDecider)
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 0, menu }))
      .then([v1]);
    given(ivrDecider, [v1])
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 1, menu: menu2 }))
      .then((e) => expect(e[0].data).toMatchObject({ version: 2 }));
  });

  it('rejects an edit based on a stale version instead of overwriting someone else’s', () => {
    given(ivrDecider, [v1, v2])
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 1, menu }))
      .thenRejects('IVR_VERSION_STALE', /version 2/);
  });

  it.each([
    [{ ...menu, rootNodeId: 'nope' }, 'IVR_ROOT_MISSING'],
    [
      { ...menu, nodes: [{ ...menu.nodes[0], choices: { '1': { kind: 'node', id: 'ghost' } } }, menu.nodes[1]] },
      'IVR_TARGET_INVALID',
    ],
    [{ ...menu, nodes: [{ ...menu.nodes[0], choices: { A: { kind: 'hangup' } } }, menu.nodes[1]] }, 'IVR_KEY_INVALID'],
    [{ ...menu, nodes: [{ ...menu.nodes[0], choices: {} }, menu.nodes[1]] }, 'IVR_UNREACHABLE'],
    [{ ...menu, nodes: [{ ...menu.nodes[0], promptText: undefined }, menu.nodes[1]] }, 'IVR_PROMPT_REQUIRED'],
    [{ ...menu, nodes: [{ ...menu.nodes[0], timeoutSeconds: 0 }, menu.nodes[1]] }, 'IVR_TIMEOUT_INVALID'],
  ])('rejects a broken menu with %# → %s', (bad, code) => {
    given(ivrDecider)
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 0, menu: bad as IvrMenu }))
      .thenRejects(code);
  });

  it('rolls back by publishing an earlier version again as a new version', () => {
    given(ivrDecider, [v1, v2])
      .when(cmd('RollBackIvrMenu', { toVersion: 1, reason: '按键2无人接' }))
      .then([
        {
          type: 'IvrMenuRolledBack',
          data: { menuId: 'm1', at, version: 3, toVersion: 1, menu, reason: '按键2无人接', by: undefined },
        },
      ]);
    given(ivrDecider, [v1, v2])
      .when(cmd('RollBackIvrMenu', { toVersion: 2, reason: 'x' }))
      .thenRejects('IVR_VERSION_UNKNOWN');
    given(ivrDecider, [v1, v2])
      .when(cmd('RollBackIvrMenu', { toVersion: 7, reason: 'x' }))
      .thenRejects('IVR_VERSION_UNKNOWN');
  });
});

describe('ivr: removing a menu', () => {
  const as = (actorRole: string) => ({ now: at, actorId: 'u1', actorRole });
  const remove = (actorRole = 'admin', reason?: string) => ({ type: 'RemoveIvrMenu', data: { reason }, meta: as(actorRole) }) as IvrCommand;
  const removed: IvrEvent = { type: 'IvrMenuRemoved', data: { menuId: 'm1', at, name: '总机', version: 2, reason: '热线停用', removedBy: 'u1' } };

  it('a supervisor or admin removes a live menu, recording the version that was live', () => {
    given(ivrDecider, [v1, v2]).when(remove('supervisor', ' 热线停用 ')).then([removed]);
    given(ivrDecider, [v1]).when(remove('agent')).thenRejects('IVR_REMOVE_FORBIDDEN');
    given(ivrDecider).when(remove()).thenRejects('IVR_NOT_FOUND');
  });

  it('a removed menu is not removed or rolled back again; publishing re-creates it as the next version', () => {
    given(ivrDecider, [v1, v2, removed]).when(remove()).thenRejects('IVR_REMOVED', /publish/);
    given(ivrDecider, [v1, v2, removed])
      .when({ type: 'RollBackIvrMenu', data: { toVersion: 1, reason: 'x' }, meta: as('admin') })
      .thenRejects('IVR_REMOVED');
    given(ivrDecider, [v1, v2, removed])
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 2, menu }))
      .then((e) => expect(e[0]).toMatchObject({ type: 'IvrMenuPublished', data: { version: 3 } }));
    given(ivrDecider, [v1, v2, removed])
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 0, menu }))
      .thenRejects('IVR_VERSION_STALE');
  });

  it('a menu keeps the department of its first publication', () => {
    const east: IvrEvent = { type: 'IvrMenuPublished', data: { ...(v1.data as IvrMenuPublishedData), departmentId: 'east' } };
    given(ivrDecider, [east])
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 1, menu, departmentId: 'west' }))
      .thenRejects('IVR_DEPARTMENT_FIXED', /east/);
    given(ivrDecider, [east])
      .when(cmd('PublishIvrMenu', { menuId: 'm1', name: '总机', basedOnVersion: 1, menu }))
      .then((e) => expect(e[0].data).toMatchObject({ version: 2, departmentId: 'east' }));
    given(ivrDecider, [east]).when(remove()).then((e) => expect(e[0].data).toMatchObject({ departmentId: 'east', version: 1 }));
  });
});
