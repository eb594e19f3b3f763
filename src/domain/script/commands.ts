import type { Command } from '../decider.ts';
import type { ScriptSection } from './events.ts';

/** basedOnVersion: the version the editor started from (0 for a new script); stale edits are rejected. */
export type PublishScript = Command<
  'PublishScript',
  { scriptId: string; name: string; basedOnVersion: number; sections: ScriptSection[] }
>;

export type ScriptCommand = PublishScript;
