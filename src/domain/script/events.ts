import type { DomainEvent } from '../decider.ts';

/** A call script: the words an agent reads, in sections (opening, needs, offer, objections, closing). */
export interface ScriptSection {
  id: string;
  title: string;
  body: string;
}

export type ScriptPublished = DomainEvent<
  'ScriptPublished',
  { scriptId: string; name: string; version: number; sections: ScriptSection[]; publishedBy?: string; at: string }
>;

export type ScriptEvent = ScriptPublished;
