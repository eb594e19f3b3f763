/**
 * Inbound calls on the call session, whatever the switch (the simulator or a real FreeSWITCH): every
 * parked inbound call is received and routed (receiveInbound), then sent on to an IVR menu, a queue or
 * voicemail. IVR menus come from the log and follow it live; a menu that cannot be entered (never
 * published, removed) sends the caller to the rules' default destination, with the reason recorded.
 */
import path from 'node:path';
import type { Destination, InboundRules } from '../acd/inboundRouting.ts';
import { callStreamId } from '../domain/call/streams.ts';
import type { IvrTarget } from '../domain/ivr/events.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { IvrMenus } from './ivr/menus.ts';
import { IvrRuntime } from './ivr/runtime.ts';
import { InboundLog } from './inboundLog.ts';
import { enterQueue } from './queueInbound.ts';
import { receiveInbound } from './receiveInbound.ts';
import { leaveVoicemail } from './voicemail.ts';

export const SERVICE_DID = '+862180000000';
export const SERVICE_QUEUE_ID = 'q-service-line';
export const SALES_QUEUE_ID = 'q-sales';
export const SERVICE_IVR_ID = 'ivr-service-line';

/** The service line: its number leads to the service menu, everything else (and a missing menu) to the service queue. */
export const serviceLineRules: InboundRules = {
  version: 'service-line-2',
  timeZone: 'Asia/Shanghai',
  blacklist: [],
  whitelist: [],
  holidays: [],
  openHours: [{ days: [0, 1, 2, 3, 4, 5, 6], start: '00:00', end: '23:59' }],
  closed: { kind: 'queue', id: SERVICE_QUEUE_ID },
  byDid: { [SERVICE_DID]: { kind: 'ivr', id: SERVICE_IVR_ID } },
  byCallerPrefix: [],
  defaultDestination: { kind: 'queue', id: SERVICE_QUEUE_ID },
  stickyToLastAgent: false,
};

export interface StartInboundOptions {
  rules?: (did: string) => InboundRules;
  /** Where uploaded prompts are kept (default <dataDir>/prompts as POST /prompts stores them). */
  promptsDir: string;
  log?: (line: string) => void;
}

export interface Inbound {
  menus: IvrMenus;
  ivr: IvrRuntime;
  stop(): Promise<void>;
}

export async function startInbound(media: MediaServer, options: StartInboundOptions): Promise<Inbound> {
  const rules = options.rules ?? (() => serviceLineRules);
  const log = options.log ?? (() => {});
  const menus = new IvrMenus(media.store);
  await menus.start();
  const inboundLog = new InboundLog(media.store);
  await inboundLog.catchUp();

  /** A queue, voicemail or agent the caller is sent to (from the routing or out of a menu); inside the server's queue. */
  const sendOn = async (callId: string, to: Destination | Exclude<IvrTarget, { kind: 'node' } | { kind: 'hangup' }>, priority: number, answered: boolean) => {
    if (to.kind === 'voicemail') return leaveVoicemail(media, callId, { queueId: to.id });
    // No direct-to-agent route yet: an agent target waits in the default queue (sticky routing there finds them).
    const fallback = rules('').defaultDestination;
    const queueId = to.kind === 'queue' && to.id ? to.id : fallback.kind === 'queue' && fallback.id ? fallback.id : SERVICE_QUEUE_ID;
    await enterQueue(media, callId, { queueId, priority, alreadyAnswered: answered });
  };
  const ivr = new IvrRuntime(media, {
    menus,
    promptsDir: options.promptsDir,
    exit: (callId, target, priority) => sendOn(callId, target, priority, true),
  });

  // Callers who were in a menu when the process stopped hear their prompt again.
  const resumed = await media.enqueue(() => ivr.resume());
  if (resumed.length) log(`resumed ${resumed.length} callers in IVR menus`);

  const detach = receiveInbound(media, {
    rules,
    log: inboundLog,
    onRouted: async (callId, d) => {
      log(`inbound ${callId}: ${d.rule} -> ${d.destination.kind} ${d.destination.id ?? ''}`);
      if (d.destination.kind !== 'ivr') return sendOn(callId, d.destination, d.priority, false);
      const menuId = d.destination.id ?? '';
      if (await ivr.enter(callId, menuId, d.priority)) return;
      const fallback = rules('').defaultDestination;
      await media.recorder.note(
        callStreamId(callId),
        'IvrUnavailable',
        { callId, menuId, reason: menus.absentReason(menuId), fallback },
        {},
        deterministicUuid(callId, 'ivr-unavailable'),
      );
      if (fallback.kind === 'ivr' || fallback.kind === 'reject') {
        await media.calls.hangup(callId, 'UNALLOCATED_NUMBER').catch(() => {});
        return;
      }
      await sendOn(callId, fallback, d.priority, false);
    },
  });
  return {
    menus,
    ivr,
    stop: async () => {
      detach();
      ivr.stop();
      await menus.stop();
    },
  };
}

export const defaultPromptsDir = (dataDir: string): string => path.join(dataDir, 'prompts');
