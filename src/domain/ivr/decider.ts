import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, isSupervisor, reject } from '../rules.ts';
import type { IvrCommand } from './commands.ts';
import type { IvrEvent, IvrMenu } from './events.ts';
import { IVR_CATEGORY } from './streams.ts';
import { checkMenu } from './validate.ts';

export interface IvrState {
  menuId?: string;
  name?: string;
  version: number;
  /** Every published version's menu, so a rollback can restore one exactly. */
  versions: Record<number, IvrMenu>;
  /** The department that owns the menu, fixed by its first publication. */
  departmentId?: string;
  removed: boolean;
}

function decide(c: IvrCommand, s: IvrState): Decision<IvrEvent> {
  const at = c.meta.now;
  if (c.type === 'PublishIvrMenu') {
    const d = c.data;
    if (!isNonEmpty(d.menuId) || !isNonEmpty(d.name)) return reject('IVR_NAME_REQUIRED', 'A menu has an id and a name');
    if (s.menuId && s.menuId !== d.menuId) return reject('IVR_MISMATCH', `This is menu ${s.menuId}`);
    if (d.basedOnVersion !== s.version) {
      return reject(
        'IVR_VERSION_STALE',
        `You edited version ${d.basedOnVersion}, but version ${s.version} is now live; reload and edit again`,
        {
          current: s.version,
        },
      );
    }
    if (s.departmentId && d.departmentId && d.departmentId !== s.departmentId)
      return reject('IVR_DEPARTMENT_FIXED', `菜单 ${d.menuId} 属于部门 ${s.departmentId} / Menu ${d.menuId} belongs to department ${s.departmentId}`, { departmentId: s.departmentId });
    const bad = checkMenu(d.menu);
    if (bad) return bad;
    // Publishing to a removed menu re-creates it, as the next version of the same stream (history kept).
    const departmentId = s.departmentId ?? d.departmentId;
    return [
      {
        type: 'IvrMenuPublished',
        data: { menuId: d.menuId, at, name: d.name, version: s.version + 1, menu: d.menu, publishedBy: c.meta.actorId, departmentId },
      },
    ];
  }
  if (!s.menuId) return reject('IVR_NOT_FOUND', '没有这个菜单 / No such menu');
  if (s.removed)
    return reject('IVR_REMOVED', `菜单 ${s.menuId} 已删除；重新发布即可恢复 / Menu ${s.menuId} was removed; publish it again to bring it back`);
  if (c.type === 'RemoveIvrMenu') {
    if (!isSupervisor(c.meta.actorRole))
      return reject('IVR_REMOVE_FORBIDDEN', '只有主管或管理员可删除菜单 / Only a supervisor or admin removes a menu');
    const data = { menuId: s.menuId, at, name: s.name, version: s.version, reason: c.data.reason?.trim() || undefined, removedBy: c.meta.actorId, departmentId: s.departmentId };
    return [{ type: 'IvrMenuRemoved', data }];
  }
  const menu = s.versions[c.data.toVersion];
  if (!menu || c.data.toVersion === s.version)
    return reject('IVR_VERSION_UNKNOWN', `Roll back to an earlier version, 1 to ${s.version - 1}`);
  if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', 'Say why the menu is rolled back');
  return [
    {
      type: 'IvrMenuRolledBack',
      data: {
        menuId: s.menuId,
        at,
        version: s.version + 1,
        toVersion: c.data.toVersion,
        menu,
        reason: c.data.reason,
        by: c.meta.actorId,
      },
    },
  ];
}

export const ivrDecider: Decider<IvrCommand, IvrEvent, IvrState> = {
  category: IVR_CATEGORY,
  initialState: () => ({ version: 0, versions: {}, removed: false }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'IvrMenuPublished':
        return {
          menuId: e.data.menuId,
          name: e.data.name,
          version: e.data.version,
          versions: { ...s.versions, [e.data.version]: e.data.menu },
          departmentId: s.departmentId ?? e.data.departmentId,
          removed: false,
        };
      case 'IvrMenuRolledBack':
        return { ...s, version: e.data.version, versions: { ...s.versions, [e.data.version]: e.data.menu } };
      case 'IvrMenuRemoved':
        return { ...s, removed: true };
      default:
        return s;
    }
  },
  decide,
};
