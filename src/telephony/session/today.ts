/**
 * What routing remembers of today, rebuilt from the log when a session process starts: each agent's calls and
 * talk time (fewest-calls, least-talk-time) and each queue's memory (round-robin position, callers' last
 * agents). Bounded: only events from the start of today (the floor's day, Beijing time) are read, found by a
 * binary search on positions.
 */
import { MemoryFromLog } from '../../acd/liveRouting.ts';
import type { QueueMemory } from '../../acd/types.ts';
import type { EventStore } from '../../eventstore/types.ts';
import { positionBefore } from '../recovery/restore.ts';
import { BUSINESS_DAY_OFFSET_MS, dayOf, tally, type DayFigures } from './agentDesk.ts';

const PAGE = 5000;
/** The search goes by the time events were stored; this covers writers whose clocks ran a little behind. */
const CLOCK_SLACK_MS = 15 * 60_000;
const AGENT_TYPES = ['AgentCallConnected', 'AgentCallEnded'];

export interface Today {
  agents: Map<string, DayFigures>;
  queues: Map<string, QueueMemory>;
  /** Events read (for logs and tests of the bound). */
  read: number;
}

export async function readToday(store: EventStore, nowMs: number): Promise<Today> {
  const today = dayOf(nowMs);
  const agents = new Map<string, DayFigures>();
  const memory = new MemoryFromLog();
  // Today in the floor's business day (Beijing time), not the UTC day.
  const startMs = Date.parse(`${today}T00:00:00.000Z`) - BUSINESS_DAY_OFFSET_MS;
  let after = await positionBefore(store, startMs - CLOCK_SLACK_MS);
  let read = 0;
  for (;;) {
    const page = await store.readAll({ after, maxCount: PAGE, filter: { eventTypes: [...AGENT_TYPES, ...MemoryFromLog.EVENT_TYPES] } });
    for (const e of page) {
      // What the caller's number and the routing decision were is needed whenever they were written; only what
      // happened (a call connected, ended, bridged) has to be today's.
      if (e.type === 'CallReceived' || e.type === 'CallOffered') {
        memory.add(e);
        continue;
      }
      const atMs = Date.parse(e.metadata.occurredAt ?? (e.data.at as string | undefined) ?? e.recordedAt);
      if (dayOf(atMs) !== today) continue;
      if (AGENT_TYPES.includes(e.type)) tally(agents, (e.data.agentId as string | undefined) ?? e.streamId.slice('agent-'.length), e.type, atMs);
      else memory.add(e);
    }
    read += page.length;
    if (page.length < PAGE) return { agents, queues: memory.memory, read };
    after = page[page.length - 1].position;
  }
}
