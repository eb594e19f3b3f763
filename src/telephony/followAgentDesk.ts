import { replayAgent } from '../domain/machines/agentEvents.ts';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/types.ts';
import type { MediaServer } from './session/mediaServer.ts';

/** Agent state changes a person makes in the console (through the API), not through the call session. */
const DESK_EVENTS = ['AgentLoggedIn', 'AgentLoggedOut', 'AgentReady', 'AgentNotReady', 'AgentForcedReady', 'AgentForcedNotReady'];

/**
 * Keeps the call session's live agents in step with the log. The API records an agent's login or
 * "ready" as events; the session learns them here, restores that agent's machine from its stream, and
 * offers waiting calls. Changes the session made itself fold to the state it already has and are skipped.
 */
export function followAgentDesk(store: EventStore, media: MediaServer, onError: (e: unknown) => void = () => {}): Promise<Subscription> {
  return store.headPosition().then((after) => {
    const sub = store.subscribe(
      async (events: RecordedEvent[]) => {
        const agentIds = new Set(events.map((e) => String(e.data.agentId ?? e.streamId.replace(/^agent-/, ''))));
        for (const agentId of agentIds) {
          await media
            .enqueue(async () => {
              const history = await store.readStream(`agent-${agentId}`);
              const snapshot = replayAgent(agentId, history);
              const live = media.agents.get(agentId)?.actor.getSnapshot();
              if (live && JSON.stringify(live.value) === JSON.stringify(snapshot.value)) return;
              media.agents.restore(agentId, snapshot);
              await media.dispatch();
            })
            .catch(onError);
        }
      },
      { after, filter: { eventTypes: DESK_EVENTS } },
    );
    sub.done.catch(onError);
    return sub;
  });
}
