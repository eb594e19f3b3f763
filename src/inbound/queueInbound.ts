/**
 * An inbound caller joins a queue: the session hosts it as a CallEndpoint like a dialer call,
 * so answering it on the switch runs the same answered -> queued -> dispatch path and one
 * ready agent serves both inbound and outbound calls (blended).
 */
import { candidatesFor, qualified } from '../acd/candidates.ts';
import { callStreamId } from '../domain/call/streams.ts';
import { DomainError } from '../domain/decider.ts';
import { replayCall } from '../domain/machines/callEvents.ts';
import { callStatus } from '../domain/machines/callMachine.ts';
import { CallEndpoint } from '../telephony/session/callEndpoint.ts';
import { queueAnswered } from '../telephony/session/facts.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';

export interface QueueEntry {
  queueId: string;
  /** How long the caller may wait for an agent before voicemail or the overflow target (default: the queue's maxWaitSeconds). */
  maxWaitMs?: number;
  /** The IVR already answered the channel: queue it without a second answer on the switch. */
  alreadyAnswered?: boolean;
  /** Higher waits less: VIP callers (10) are offered before others (0), then the oldest first. */
  priority?: number;
  /** Tell the caller their place in line every N seconds while they wait (default: the queue's announceEverySeconds; 0: never). */
  announceEverySeconds?: number;
}

/** Call inside the media server's queue (e.g. from receiveInbound's onRouted). */
export async function enterQueue(server: MediaServer, callId: string, entry: QueueEntry): Promise<CallEndpoint> {
  await server.queues.start();
  const stream = await server.store.readStream(callStreamId(callId));
  const phone = stream.find((e) => e.type === 'CallReceived')?.data.phone as string | undefined;
  const maxWaitMs = entry.maxWaitMs ?? server.queues.queue(entry.queueId).maxWaitSeconds * 1000;
  const options = { inbound: true, queueId: entry.queueId, connectRuleMs: maxWaitMs, priority: entry.priority ?? 0, phone, announceEverySeconds: entry.announceEverySeconds ?? server.queues.queue(entry.queueId).announceEverySeconds };
  if (entry.alreadyAnswered) {
    // Start from what the call stream already says (the IVR may have recorded CallAnswered).
    const snapshot = replayCall(callId, stream);
    if (callStatus(snapshot) === 'ended') throw new DomainError('CALL_ENDED', `call ${callId} ended before it reached queue ${entry.queueId}`);
    const ep = new CallEndpoint(callId, options, snapshot);
    host(server, ep);
    ep.answeredAtMs ??= server.clock.now();
    if (ep.status !== 'answered' && (await server.callEvent(ep, { type: 'ANSWERED', answeredBy: 'human' }))) return ep;
    await queueAnswered(server, ep);
    return ep;
  }
  const ep = new CallEndpoint(callId, options);
  host(server, ep);
  // The answer fact drives CallAnswered, CallQueued and the offer to an agent.
  try {
    await server.esl.execute(callId, 'answer', '', false);
  } catch (e) {
    server.endpoints.delete(callId);
    server.legs.delete(callId);
    throw new DomainError('CALL_NOT_LIVE', `call ${callId} could not be answered for queue ${entry.queueId}: ${(e as Error).message}`);
  }
  return ep;
}

function host(server: MediaServer, ep: CallEndpoint): void {
  server.endpoints.set(ep.callId, ep);
  server.legs.set(ep.callId, { legId: ep.callId, callId: ep.callId, role: 'customer' });
}

/** Inbound callers waiting for an agent right now. */
export function inboundWaiting(server: MediaServer): number {
  return server.inboundWaiting();
}

/** Inbound callers waiting for an agent right now, per queue. */
export function waitingByQueue(server: MediaServer): Map<string, number> {
  const byQueue = new Map<string, number>();
  for (const ep of server.endpoints.values()) {
    if (!ep.options.inbound || !ep.waitingForAgent) continue;
    const queueId = ep.options.queueId ?? 'default';
    byQueue.set(queueId, (byQueue.get(queueId) ?? 0) + 1);
  }
  return byQueue;
}

/** Dials a campaign leaves out for inbound callers, and why (for the dialer's explain). */
export interface InboundHoldBack {
  count: number;
  why: string;
}

/** The campaign as hold-back sees it: its department and the agents it dials for. */
export interface HoldBackCampaign {
  /** Its priority against inbound queues comes from the log (QueueConfigs); none given: the default 5. */
  campaignId?: string;
  departmentId?: string;
  serves: (agentId: string) => boolean;
}

/**
 * How many dials a campaign holds back for inbound callers waiting (blended floor): a caller counts when their
 * queue shares agents with the campaign, i.e. the campaign's department is the queue's or under it (a queue the
 * log gives no department is the whole floor's) and a logged-in agent the campaign dials for has the queue's skills. Callers of
 * another department's queue, of a queue none of the campaign's agents could take, or of a queue ranked below the
 * campaign (its answered calls go first to a blended agent), hold back nothing here.
 */
export function inboundHoldBack(server: MediaServer, campaign: HoldBackCampaign): InboundHoldBack {
  const waiting = waitingByQueue(server);
  // An agent held for a caller waiting for them (a known customer) is ready but not the pacer's to dial for.
  const held = [...server.heldAgents().keys()].filter((agentId) => campaign.serves(agentId) && server.agents.status(agentId) === 'ready');
  if (waiting.size === 0 && held.length === 0) return { count: 0, why: 'no inbound caller waiting' };
  const agents = server.routing.agentViews().filter((a) => a.loggedIn && campaign.serves(a.agentId));
  // A queue ranked below the campaign does not take its agents first (dispatchOrder): nothing to hold back for.
  const priority = server.queues.campaignPriority(campaign.campaignId);
  let count = 0;
  const counted: string[] = [];
  const skipped: string[] = [];
  for (const [queueId, n] of [...waiting].sort(([a], [b]) => a.localeCompare(b))) {
    const q = server.queues.queue(queueId);
    // The queue's department or one under it (routing's rule): a sub-department's campaign shares its agents.
    if (q.routing.departments && campaign.departmentId && !q.routing.departments.includes(campaign.departmentId)) {
      skipped.push(`${queueId} ${n} (department ${q.departmentId})`);
      continue;
    }
    if (q.priority < priority) {
      skipped.push(`${queueId} ${n} (queue priority ${q.priority} below the campaign's ${priority})`);
      continue;
    }
    const able = qualified(candidatesFor(agents, q.routing.requiredSkills ?? {}, q.routing.departments)).length;
    if (able === 0) {
      skipped.push(`${queueId} ${n} (none of its agents has the skills)`);
      continue;
    }
    count += n;
    counted.push(`${queueId} ${n} (${able} of its agents could take them)`);
  }
  const parts = [];
  if (held.length) {
    count += held.length;
    parts.push(`held back for ${held.join(', ')}, kept for callers waiting for them`);
  }
  if (counted.length) parts.push(`held back for callers waiting in ${counted.join(', ')}`);
  if (skipped.length) parts.push(`not for ${skipped.join(', ')}`);
  return { count, why: parts.join('; ') };
}
