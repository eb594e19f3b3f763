import type { AgentView, QueueMemory, QueueStrategy, QueuedCall } from './types.ts';

type Pick = (free: AgentView[], ctx: { call: QueuedCall; memory: QueueMemory; seed: number }) => { agent: AgentView; reason: string } | undefined;

const time = (iso?: string) => (iso ? Date.parse(iso) : Infinity);

function minBy(agents: AgentView[], key: (a: AgentView) => number): AgentView | undefined {
  let best: AgentView | undefined;
  for (const a of agents) if (!best || key(a) < key(best)) best = a;
  return best;
}

/** Deterministic hash of seed and call id, so a random pick can be replayed from the decision record. */
export function seededIndex(seed: number, callId: string, n: number): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < callId.length; i++) h = Math.imul(h ^ callId.charCodeAt(i), 0x01000193) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x2c1b3c6d) >>> 0;
  return ((h ^ (h >>> 12)) >>> 0) % n;
}

export const strategies: Record<Exclude<QueueStrategy, 'ring_all' | 'sticky'>, Pick> = {
  longest_idle: (free) => {
    const agent = minBy(free, (a) => time(a.idleSince));
    return agent && { agent, reason: `idle since ${agent.idleSince ?? 'unknown'}, the longest` };
  },
  fewest_calls: (free) => {
    const agent = minBy(free, (a) => a.callsToday);
    return agent && { agent, reason: `${agent.callsToday} calls today, the fewest` };
  },
  least_talk_time: (free) => {
    const agent = minBy(free, (a) => a.talkSecondsToday);
    return agent && { agent, reason: `${agent.talkSecondsToday} s talk today, the least` };
  },
  round_robin: (free, { memory }) => {
    if (free.length === 0) return undefined;
    const order = [...free].sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0));
    const last = memory.lastRoundRobin;
    const agent = order.find((a) => last === undefined || a.agentId > last) ?? order[0];
    return { agent, reason: `next after ${last ?? 'nobody'} in rotation` };
  },
  random: (free, { call, seed }) => {
    if (free.length === 0) return undefined;
    const order = [...free].sort((a, b) => (a.agentId < b.agentId ? -1 : 1));
    const i = seededIndex(seed, call.callId, order.length);
    return { agent: order[i], reason: `random pick ${i + 1} of ${order.length} (seed ${seed})` };
  },
};
