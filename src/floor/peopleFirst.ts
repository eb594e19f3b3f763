import type { AgentDesk } from '../telephony/session/agentDesk.ts';

/**
 * On the demo floor the bots are there to keep it busy, not to compete with the person trying it out:
 * with plain longest-idle routing a person who just went ready queued behind every idle bot and waited
 * 45-110 s for a first call. This puts ready people before ready bots, for dialer calls (longest-idle within
 * each group) and inbound callers (the queue's strategy within the first group with someone free).
 * Returns the undo.
 */
export function peopleFirst(desk: AgentDesk, botIds: Iterable<string>): () => void {
  const bots = new Set(botIds);
  return desk.groupReadyBy((agentId) => (bots.has(agentId) ? 1 : 0));
}
