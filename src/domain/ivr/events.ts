import type { DomainEvent } from '../decider.ts';

export type IvrTarget =
  | { kind: 'node'; id: string }
  /** priority: queue the caller ahead of others (e.g. 10 for a key reserved to VIPs); default the call's own. */
  | { kind: 'queue'; id: string; priority?: number }
  | { kind: 'agent'; id: string }
  | { kind: 'voicemail'; id: string }
  | { kind: 'hangup' };

export interface IvrNode {
  id: string;
  /** A sound file, or text for TTS; at least one. */
  promptFile?: string;
  promptText?: string;
  /** DTMF key ('0'-'9', '*', '#') → where it leads. */
  choices: Record<string, IvrTarget>;
  timeoutSeconds: number;
  /** Replays of the prompt after a timeout or a wrong key before `onFailure`. */
  maxRetries: number;
  onFailure: IvrTarget;
}

export interface IvrMenu {
  rootNodeId: string;
  nodes: IvrNode[];
}

type Base = { menuId: string; at: string };

/** Every edit publishes the whole menu as a new version; the switch loads one version at a time. */
export type IvrMenuPublished = DomainEvent<
  'IvrMenuPublished',
  Base & { name: string; version: number; menu: IvrMenu; publishedBy?: string; departmentId?: string }
>;
export type IvrMenuRolledBack = DomainEvent<
  'IvrMenuRolledBack',
  Base & { version: number; toVersion: number; menu: IvrMenu; reason: string; by?: string }
>;

/** `version`: the version that was live when removed; a later publish continues from it. */
export type IvrMenuRemoved = DomainEvent<
  'IvrMenuRemoved',
  Base & { name?: string; version: number; reason?: string; removedBy?: string; departmentId?: string }
>;

export type IvrEvent = IvrMenuPublished | IvrMenuRolledBack | IvrMenuRemoved;
