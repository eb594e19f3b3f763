/**
 * Simulated callers of the demo floor. Receiving, routing and the IVR belong to the call session
 * (startInbound, started by startTelephony); the floor only makes the simulator's customers ring the
 * service line every 20–40 s and press keys when the menu speaks: mostly 1 (sales) or 2 (service),
 * some a wrong key first, some nothing at all (the menu's timeout and retries take over).
 */
import type { TelephonyFact } from '../telephony/esl/facts.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import type { FreeSwitchSimulator } from '../telephony/simulator/server.ts';
import { SERVICE_DID } from '../inbound/startInbound.ts';

export { SALES_QUEUE_ID, SERVICE_DID, SERVICE_IVR_ID, SERVICE_QUEUE_ID } from '../inbound/startInbound.ts';

/** What one simulated caller keys at each prompt they hear (undefined: stays silent). */
export type CallerKeys = (string | undefined)[];

/** 45 % press 1, 35 % press 2, 10 % press a wrong key then 2, 10 % never press anything. */
export function randomCallerKeys(r = Math.random()): CallerKeys {
  if (r < 0.45) return ['1'];
  if (r < 0.8) return ['2'];
  if (r < 0.9) return ['7', '2'];
  return [];
}

export interface InboundFloorOptions {
  media: MediaServer;
  simulator: FreeSwitchSimulator;
  log: (line: string) => void;
  /** Gap between simulated callers (default 20–40 s). */
  gapMs?: [number, number];
  /** How long after a prompt starts a caller keys (default 0.3–1.5 s). */
  keyDelayMs?: [number, number];
  /** The keys of the next caller (tests pin them). */
  keys?: () => CallerKeys;
}

export function startInboundFloor(o: InboundFloorOptions): { stop(): void } {
  const sim = o.simulator;
  const [lo, hi] = o.gapMs ?? [20_000, 40_000];
  const [klo, khi] = o.keyDelayMs ?? [300, 1_500];
  const callers = new Map<string, CallerKeys>();
  const timers = new Set<NodeJS.Timeout>();
  const later = (ms: number, fn: () => void) => {
    const t = setTimeout(() => {
      timers.delete(t);
      fn();
    }, ms);
    timers.add(t);
  };
  // Each prompt the caller hears takes the next of their keys.
  const onFact = (f: TelephonyFact) => {
    if (!('callId' in f) || !callers.has(f.callId)) return;
    if (f.kind === 'destroyed') {
      callers.delete(f.callId);
      return;
    }
    if (f.kind !== 'playback-started' || !f.path.startsWith('say:')) return;
    const key = callers.get(f.callId)!.shift();
    if (!key) return;
    later(klo + Math.random() * (khi - klo), () => {
      try {
        sim.injectDtmf(f.callId, key);
      } catch {
        // The caller hung up meanwhile.
      }
    });
  };
  o.media.esl.on('fact', onFact);
  const next = () => {
    later(lo + Math.random() * (hi - lo), () => {
      const caller = `139${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
      try {
        callers.set(sim.inboundCall(caller, SERVICE_DID), (o.keys ?? randomCallerKeys)());
      } catch (e) {
        o.log(`simulated inbound call failed: ${String(e)}`);
      }
      next();
    });
  };
  next();
  return {
    stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      o.media.esl.off('fact', onFact);
    },
  };
}
