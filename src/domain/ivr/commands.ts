import type { Command } from '../decider.ts';
import type { IvrMenu } from './events.ts';

/** basedOnVersion: the version the editor started from (0 for a new menu); a stale one is rejected, not merged. */
export type PublishIvrMenu = Command<
  'PublishIvrMenu',
  { menuId: string; name: string; basedOnVersion: number; menu: IvrMenu; departmentId?: string }
>;
/** Publishes an earlier version's menu again, as a new version. */
export type RollBackIvrMenu = Command<'RollBackIvrMenu', { toVersion: number; reason: string }>;

/** Takes the menu out of service; callers routed to it get the default destination. Publishing again re-creates it. */
export type RemoveIvrMenu = Command<'RemoveIvrMenu', { reason?: string }>;

export type IvrCommand = PublishIvrMenu | RollBackIvrMenu | RemoveIvrMenu;
