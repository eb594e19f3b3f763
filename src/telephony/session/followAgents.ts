/**
 * Agent state written by someone else (the agent desk API's own decider, another process)
 * must reach the live desk, or a ready agent would never be offered a call. Follows the
 * agent streams in the log and re-folds an agent whose stream moved past what we wrote.
 */
import { AGENT_STATE_EVENT_TYPES, replayAgent } from '../../domain/machines/agentEvents.ts';
import { agentStatus } from '../../domain/machines/agentMachine.ts';
import type { Subscription } from '../../eventstore/types.ts';
import type { MediaServer } from './mediaServer.ts';

export async function followAgents(server: MediaServer): Promise<Subscription> {
  const after = await server.store.headPosition();
  return server.store.subscribe(
    async (events) => {
      const moved = new Set<string>();
      for (const e of events) {
        const known = server.recorder.knownVersion(e.streamId);
        if (known === undefined || e.revision > known) moved.add(e.streamId.slice('agent-'.length));
      }
      if (moved.size === 0) return;
      await server.enqueue(async () => {
        for (const agentId of moved) {
          const stream = await server.store.readStream(`agent-${agentId}`);
          const snap = replayAgent(agentId, stream);
          const live = server.agents.get(agentId)?.actor.getSnapshot();
          const same = live && JSON.stringify(live.value) === JSON.stringify(snap.value) && JSON.stringify(live.context) === JSON.stringify(snap.context);
          if (same) continue;
          if (!live && agentStatus(snap) === 'logged-out') continue;
          server.agents.restore(agentId, snap);
          server.recorder.forget(`agent-${agentId}`);
        }
        await server.dispatch();
      });
    },
    { after, filter: { streamPrefix: 'agent-', eventTypes: [...AGENT_STATE_EVENT_TYPES] } },
  );
}
