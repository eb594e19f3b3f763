import type { Decider, Decision } from '../decider.ts';
import { isNonEmpty, reject } from '../rules.ts';
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
    const bad = checkMenu(d.menu);
    if (bad) return bad;
    return [
      {
        type: 'IvrMenuPublished',
        data: { menuId: d.menuId, at, name: d.name, version: s.version + 1, menu: d.menu, publishedBy: c.meta.actorId },
      },
    ];
  }
  if (!s.menuId) return reject('IVR_NOT_FOUND', 'No such menu');
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
  initialState: () => ({ version: 0, versions: {} }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'IvrMenuPublished':
        return {
          menuId: e.data.menuId,
          name: e.data.name,
          version: e.data.version,
          versions: { ...s.versions, [e.data.version]: e.data.menu },
        };
      case 'IvrMenuRolledBack':
        return { ...s, version: e.data.version, versions: { ...s.versions, [e.data.version]: e.data.menu } };
      default:
        return s;
    }
  },
  decide,
};
