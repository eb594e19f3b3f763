/**
 * Inbound calls on the call session, whatever the switch (the simulator or a real FreeSWITCH): every
 * parked inbound call is received and routed (receiveInbound), then sent on to an IVR menu, a queue or
 * voicemail. IVR menus come from the log and follow it live; a menu that cannot be entered (never
 * published, removed) sends the caller to the rules' default destination, with the reason recorded.
 */
import path from 'node:path';
import { rulesFor, type Destination, type InboundRules } from '../acd/inboundRouting.ts';
import { callStreamId } from '../domain/call/streams.ts';
import type { InboundRoutes } from '../domain/inbound/events.ts';
import type { IvrTarget } from '../domain/ivr/events.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { AgentWaits } from './ivr/agentWait.ts';
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

export const SERVICE_ROUTES_ID = 'service-line';

/**
 * The service line: its number leads to the service menu, everything else (and a missing menu) to the
 * service queue, around the clock. The demo seed publishes these as events; they also stand in while no
 * route set is published.
 */
export const serviceLineRoutes: InboundRoutes = {
  dids: [],
  timeZone: 'Asia/Shanghai',
  blacklist: [],
  whitelist: [],
  holidays: [],
  openHours: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }],
  closed: { kind: 'queue', id: SERVICE_QUEUE_ID },
  byDid: { [SERVICE_DID]: { kind: 'ivr', id: SERVICE_IVR_ID } },
  byCallerPrefix: [],
  defaultDestination: { kind: 'queue', id: SERVICE_QUEUE_ID },
  stickyToLastAgent: false,
};

export const serviceLineRules: InboundRules = { ...serviceLineRoutes, version: 'service-line-default' };

export interface StartInboundOptions {
  /** Fixed rules (tests, configuration); by default the route sets published in the log, followed live. */
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
  const log = options.log ?? (() => {});
  const menus = new IvrMenus(media.store);
  await menus.start();
  // Caught up before every routing decision, so a new version applies from the next call (the decision names it).
  const inboundLog = new InboundLog(media.store);
  await inboundLog.catchUp();
  const rules = options.rules ?? ((did: string) => rulesFor(did, inboundLog.routes()) ?? serviceLineRules);

  /** The rules of the number the caller dialled (an IVR exit does not carry it: the call stream does). */
  const rulesOfCall = async (callId: string) => {
    const received = (await media.store.readStream(callStreamId(callId), { maxCount: 1 }))[0];
    return rules(received?.type === 'CallReceived' ? String(received.data.did ?? '') : '');
  };
  const fallbackQueue = async (callId: string) => {
    const fallback = (await rulesOfCall(callId)).defaultDestination;
    return fallback.kind === 'queue' && fallback.id ? fallback.id : SERVICE_QUEUE_ID;
  };
  /** A caller not yet answered into a queue, offered first to `agentId` when given. */
  const toQueue = async (callId: string, queueId: string, priority: number, agentId?: string) => {
    const ep = await enterQueue(media, callId, { queueId, priority });
    if (agentId) await offerDirectly(media, ep, agentId, queueId);
  };
  const waits = new AgentWaits(media, { sendOn: toQueue, promptsDir: options.promptsDir });

  /** A queue, voicemail or agent the caller is sent to (from the routing or out of a menu); inside the server's queue. */
  const sendOn = async (callId: string, to: Destination | Exclude<IvrTarget, { kind: 'node' } | { kind: 'hangup' }>, priority: number, answered: boolean, agentWaitSeconds = 20) => {
    if (to.kind === 'voicemail') return leaveVoicemail(media, callId, { queueId: to.id });
    const queueId = to.kind === 'queue' && to.id ? to.id : await fallbackQueue(callId);
    // An answered caller (out of a menu) cannot be held back from the queue's dispatch: they wait in the queue.
    if (to.kind === 'agent' && to.id && !answered) return waits.wait(callId, to.id, queueId, priority, agentWaitSeconds);
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
      // A known customer whose agent is busy is asked to wait for them a while, else the queue routing chose.
      if (d.offerToWaitFor && d.destination.kind === 'queue' && d.destination.id) {
        return waits.wait(callId, d.offerToWaitFor, d.destination.id, d.priority, d.agentWaitSeconds ?? 20, d.agentWaitOffer ?? {});
      }
      if (d.destination.kind !== 'ivr') return sendOn(callId, d.destination, d.priority, false, d.agentWaitSeconds);
      const menuId = d.destination.id ?? '';
      if (await ivr.enter(callId, menuId, d.priority)) return;
      const fallback = (await rulesOfCall(callId)).defaultDestination;
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
      waits.stop();
      await menus.stop();
    },
  };
}

/**
 * Destination `agent`, the agent free: the caller, hosted in the queue, is offered to that agent before
 * anyone else (the answer fact queues the call after this, and dispatch passes over an offered call). An
 * agent who does not answer before the reservation expires leaves the caller to the queue.
 */
async function offerDirectly(media: MediaServer, ep: CallEndpoint, agentId: string, queueId: string): Promise<void> {
  const base = { callId: ep.callId, queueId, strategy: 'direct', candidates: [agentId] };
  const refused = ep.offered ? undefined : await media.offer(ep, agentId);
  if (refused || ep.agentId !== agentId) {
    const why = refused ? `${refused.code}: ${refused.message}` : 'the call was already offered';
    await media.recorder.note(callStreamId(ep.callId), 'CallRoutingDeferred', { ...base, reason: `agent ${agentId} cannot take the call now (${why}); queue ${queueId} serves it` });
    return;
  }
  await media.recorder.note(callStreamId(ep.callId), 'CallOffered', {
    ...base,
    eligibility: [{ agentId, eligible: true, skillScore: 0 }],
    winner: agentId,
    reason: `routed to agent ${agentId} directly; queue ${queueId} if they do not answer`,
  });
}

export const defaultPromptsDir = (dataDir: string): string => path.join(dataDir, 'prompts');
