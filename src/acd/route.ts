import { candidatesFor, qualified } from './candidates.ts';
import { strategies } from './strategies.ts';
import type { AgentView, QueueConfig, QueueMemory, QueuedCall, RoutingDecision } from './types.ts';

/** Chooses the agent for one queued call; pure, and the result explains itself. */
export function routeCall(call: QueuedCall, queue: QueueConfig, agents: AgentView[], memory: QueueMemory): RoutingDecision {
  const required = { ...queue.requiredSkills, ...call.requiredSkills };
  const candidates = candidatesFor(agents, required, queue.departments);
  const base = { callId: call.callId, queueId: queue.queueId, strategy: queue.strategy, candidates };
  const eligible = new Set(candidates.filter((c) => c.eligible).map((c) => c.agentId));
  if (eligible.size === 0) {
    const able = qualified(candidates).length;
    const others = candidates.filter((c) => c.why?.startsWith('OTHER_DEPARTMENT:')).length;
    const elsewhere = others ? ` (${others} of another department)` : '';
    return { ...base, ring: [], reason: able ? `all ${able} qualified agents busy${elsewhere}` : `no qualified agent logged in${elsewhere}` };
  }
  let free = agents.filter((a) => eligible.has(a.agentId));
  // The floor's preference (people before bots) comes before the strategy: it picks within the first group free.
  const firstGroup = Math.min(...free.map((a) => a.group ?? 0));
  const grouped = free.filter((a) => (a.group ?? 0) === firstGroup);
  const groupNote = grouped.length < free.length ? `preferred group ${firstGroup} first; ` : '';
  free = grouped;
  if (queue.strategy === 'ring_all') {
    return { ...base, ring: free.map((a) => a.agentId), reason: `${groupNote}ringing all ${free.length} free agents; the first to answer wins` };
  }
  if (queue.strategy === 'sticky') {
    const last = memory.lastAgentByPhone[call.phone];
    const agent = last ? free.find((a) => a.agentId === last) : undefined;
    if (agent) return { ...base, ring: [agent.agentId], winner: agent.agentId, reason: `${groupNote}${agent.agentId} spoke with this caller last` };
  }
  if (queue.preferSkillLevel) {
    const score = new Map(candidates.map((c) => [c.agentId, c.skillScore]));
    const top = Math.max(...free.map((a) => score.get(a.agentId)!));
    free = free.filter((a) => score.get(a.agentId) === top);
  }
  const strategy = queue.strategy === 'sticky' ? (queue.fallback ?? 'longest_idle') : queue.strategy;
  const picked = strategies[strategy](free, { call, memory, seed: queue.seed ?? 0 })!;
  const prefix = queue.strategy === 'sticky' ? `last agent not free; ${strategy}: ` : queue.preferSkillLevel ? 'highest skill level, then ' : '';
  return { ...base, ring: [picked.agent.agentId], winner: picked.agent.agentId, reason: groupNote + prefix + picked.reason };
}

/** Memory after a call was answered by `agentId` (round-robin position, caller's last agent). */
export function remember(memory: QueueMemory, call: QueuedCall, agentId: string, strategy: QueueConfig['strategy']): QueueMemory {
  return {
    lastRoundRobin: strategy === 'round_robin' ? agentId : memory.lastRoundRobin,
    lastAgentByPhone: { ...memory.lastAgentByPhone, [call.phone]: agentId },
  };
}
