/**
 * Inbound side of the live floor: callers ringing the service line are routed (routeInbound),
 * answered into the service queue and served by the same ready agents as the dialer (blended).
 * With a simulator, a simulated caller rings every 20–40 s.
 */
import type { InboundRules } from '../acd/inboundRouting.ts';
import type { EventStore } from '../eventstore/types.ts';
import { enterQueue, inboundWaiting } from '../inbound/queueInbound.ts';
import { receiveInbound } from '../inbound/receiveInbound.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import type { FreeSwitchSimulator } from '../telephony/simulator/server.ts';

export const SERVICE_DID = '+862180000000';
export const SERVICE_QUEUE_ID = 'q-service-line';

export const inboundRules: InboundRules = {
  version: 'floor-1',
  timeZone: 'Asia/Shanghai',
  blacklist: [],
  whitelist: [],
  holidays: [],
  openHours: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }],
  closed: { kind: 'queue', id: SERVICE_QUEUE_ID },
  // The IVR step is not built yet: the service line goes straight to its queue.
  byDid: { [SERVICE_DID]: { kind: 'queue', id: SERVICE_QUEUE_ID } },
  byCallerPrefix: [],
  defaultDestination: { kind: 'queue', id: SERVICE_QUEUE_ID },
  stickyToLastAgent: false,
};

export interface InboundFloorOptions {
  store: EventStore;
  media: MediaServer;
  simulator?: FreeSwitchSimulator;
  log: (line: string) => void;
  /** Gap between simulated callers (default 20–40 s). */
  gapMs?: [number, number];
  rules?: InboundRules;
}

export function startInboundFloor(o: InboundFloorOptions): { stop(): void; waiting(): number } {
  const rules = o.rules ?? inboundRules;
  const detach = receiveInbound(o.media, {
    rules: () => rules,
    onRouted: async (callId, d) => {
      o.log(`inbound ${callId}: ${d.rule} -> ${d.destination.kind} ${d.destination.id ?? ''}`);
      if (d.destination.kind === 'queue' && d.destination.id) await enterQueue(o.media, callId, { queueId: d.destination.id });
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const [lo, hi] = o.gapMs ?? [20_000, 40_000];
  const sim = o.simulator;
  const next = () => {
    timer = setTimeout(() => {
      const caller = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      try {
        sim!.inboundCall(caller, SERVICE_DID);
      } catch (e) {
        o.log(`simulated inbound call failed: ${String(e)}`);
      }
      next();
    }, lo + Math.random() * (hi - lo));
  };
  if (sim) next();
  return {
    stop() {
      if (timer) clearTimeout(timer);
      detach();
    },
    waiting: () => inboundWaiting(o.media),
  };
}
