/**
 * IVR menus as the switch runs them: the latest version of every menu, folded from the log and kept
 * live by a catch-up subscription, so an edit applies to the next caller without a restart. A caller
 * already in a menu keeps the version they entered with (the runtime holds that copy).
 */
import type { IvrMenu } from '../../domain/ivr/events.ts';
import { LogFold } from '../../eventstore/logFold.ts';
import type { EventStore, RecordedEvent } from '../../eventstore/types.ts';

export const IVR_MENU_EVENT_TYPES = ['IvrMenuPublished', 'IvrMenuRolledBack', 'IvrMenuRemoved'];

export interface LiveMenu {
  menuId: string;
  version: number;
  menu: IvrMenu;
}

export class IvrMenus {
  private readonly menus = new Map<string, LiveMenu>();
  /** Every version seen, so a caller resumed after a restart keeps the version they entered with. */
  private readonly versions = new Map<string, Map<number, IvrMenu>>();
  /** Removed menus, with the version they had: callers of a removed menu go to the default destination. */
  private readonly removed = new Map<string, number>();
  private readonly log: LogFold;

  constructor(store: EventStore) {
    this.log = new LogFold(store, IVR_MENU_EVENT_TYPES, (e) => this.apply(e));
  }

  /** Catch up with the log once, then follow it; later calls return the same promise. */
  start(): Promise<void> {
    return this.log.follow();
  }

  /** Read what the log holds beyond what this copy has seen (an edit published a moment ago). */
  sync(): Promise<void> {
    return this.log.catchUp();
  }

  stop(): Promise<void> {
    return this.log.stop();
  }

  private apply(e: RecordedEvent): void {
    const d = e.data as { menuId: string; version?: number; menu?: IvrMenu };
    if (e.type === 'IvrMenuRemoved') {
      this.menus.delete(d.menuId);
      this.removed.set(d.menuId, d.version ?? 0);
    } else if (d.menu && typeof d.version === 'number') {
      // Publishing again after a removal brings the menu back.
      this.removed.delete(d.menuId);
      this.menus.set(d.menuId, { menuId: d.menuId, version: d.version, menu: d.menu });
      const versions = this.versions.get(d.menuId) ?? new Map<number, IvrMenu>();
      versions.set(d.version, d.menu);
      this.versions.set(d.menuId, versions);
    }
  }

  /** The version a new caller enters, or undefined when the menu was never published or was removed. */
  latest(menuId: string): LiveMenu | undefined {
    return this.menus.get(menuId);
  }

  /** One published version (also of a menu removed since). */
  version(menuId: string, version: number): IvrMenu | undefined {
    return this.versions.get(menuId)?.get(version);
  }

  /** Why a menu cannot be entered (for the call record). */
  absentReason(menuId: string): string {
    return this.removed.has(menuId) ? `IVR menu ${menuId} was removed` : `IVR menu ${menuId} is not published`;
  }
}
