import { agentDecider } from '../domain/agent/decider.ts';
import { callDecider } from '../domain/call/decider.ts';
import { campaignDecider } from '../domain/campaign/decider.ts';
import type { Decider } from '../domain/decider.ts';
import { departmentDecider } from '../domain/identity/department.ts';
import { userDecider } from '../domain/identity/user.ts';
import { leadDecider } from '../domain/lead/decider.ts';
import { loyaltyDecider } from '../domain/loyalty/decider.ts';
import { orderDecider } from '../domain/order/decider.ts';
import { answersDecider, questionnaireDecider } from '../domain/questionnaire/decider.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';

const DECIDERS: Decider<any, any, any>[] = [
  leadDecider,
  campaignDecider,
  agentDecider,
  callDecider,
  orderDecider,
  loyaltyDecider,
  questionnaireDecider,
  answersDecider,
  userDecider,
  departmentDecider,
].sort((a, b) => b.category.length - a.category.length);

/** "2026-03-02T10:00:00+08:00", "2026-03-02 10:00" (local time) or a bare date. */
export function parseInstant(text: string): Date {
  const t = text.trim();
  const d = new Date(/^\d{4}-\d{2}-\d{2} \d/.test(t) ? t.replace(' ', 'T') : t);
  if (Number.isNaN(d.getTime())) throw new Error(`cannot read "${text}" as a time; use e.g. 2026-03-02T10:00:00+08:00`);
  return d;
}

export interface ReplayResult {
  streamId: string;
  asOf?: string;
  events: RecordedEvent[];
  /** The aggregate's state folded from those events, when the stream's category has a decider. */
  state?: unknown;
}

/** A stream as it stood at an instant: its events up to then (by when they happened) and the state they fold to. */
export async function replayStream(store: EventStore, streamId: string, asOf?: Date): Promise<ReplayResult> {
  const all = await store.readStream(streamId);
  const events = asOf ? all.filter((e) => new Date(e.metadata.occurredAt ?? e.recordedAt) <= asOf) : all;
  const decider = DECIDERS.find((d) => streamId.startsWith(`${d.category}-`));
  const state = decider ? events.reduce((s, e) => decider.evolve(s, e), decider.initialState()) : undefined;
  return { streamId, asOf: asOf?.toISOString(), events, state };
}

export function formatReplay(r: ReplayResult): string {
  if (!r.events.length) return `${r.streamId}: no events${r.asOf ? ` as of ${r.asOf}` : ''}`;
  const lines = [`${r.streamId}${r.asOf ? ` as of ${r.asOf}` : ''}: ${r.events.length} events`];
  for (const e of r.events) {
    lines.push(`  #${e.revision} @${e.position} ${e.metadata.occurredAt ?? e.recordedAt} ${e.type} ${JSON.stringify(e.data)}`);
  }
  if (r.state !== undefined) lines.push('state:', JSON.stringify(r.state, null, 2));
  return lines.join('\n');
}
