/**
 * One live call as the session holds it: its legs on the switch, the live call actor,
 * and the per-call settings the machines do not carry (AMD, connect rule, recording).
 */
import { createActor, type Actor } from 'xstate';
import { callMachineEventOf } from '../../domain/machines/callEvents.ts';
import { callMachine, callStatus, type CallSnapshot, type CallStatus } from '../../domain/machines/callMachine.ts';

export type RecordingPolicy = 'always' | 'never' | 'on-demand';
export type LegRole = 'customer' | 'agent' | 'supervisor' | 'outside';

export interface Leg {
  legId: string;
  callId: string;
  role: LegRole;
  agentId?: string;
  supervisorId?: string;
}

export interface RecordingState {
  recordingId: string;
  file: string;
  paused: boolean;
  startedAtMs: number;
}

export interface EndpointOptions {
  campaignId?: string;
  leadId?: string;
  attemptId?: string;
  queueId?: string;
  /** The caller's number (inbound): sticky routing and callbacks use it. */
  phone?: string;
  /** Waiting callers with a higher priority are offered first (VIP 10, others 0); then the oldest. */
  priority?: number;
  /** Tell a waiting caller their place in line every N seconds (off when unset). */
  announceEverySeconds?: number;
  /** A caller who rang us: hanging up while queued is recorded as CallAbandoned with the wait. */
  inbound?: boolean;
  /** Run answering-machine detection before queueing (the call waits for the verdict). */
  amd?: boolean;
  connectRuleMs?: number;
  recording?: RecordingPolicy;
  /** The number the customer sees (the campaign's caller id, E.164); the trunk's default when unset. */
  callerId?: string;
  /** Preview / click-to-dial: the agent leg is called first, the customer second. */
  preview?: { agentId: string; dial: string; timeoutSec: number };
}

/**
 * The agent leg id is derived, not random, so a restarted process finds it on the switch
 * from the stored events alone (CallBridged carries the agent id).
 */
export const agentLegId = (callId: string, agentId: string): string => `${callId}_${safe(agentId)}`;
export const supervisorLegId = (callId: string, supervisorId: string): string => `${callId}_sup_${safe(supervisorId)}`;

function safe(id: string): string {
  return id.replace(/[^\w.-]/g, '_');
}

export class CallEndpoint {
  readonly callId: string;
  readonly options: EndpointOptions;
  readonly actor: Actor<typeof callMachine>;
  /** Agent reserved for or talking on this call. */
  agentId?: string;
  agentLeg?: string;
  /** Ring-all: agents whose phones ring for this call (agent id -> leg id); the first to answer becomes `agentId`. */
  readonly ringing = new Map<string, string>();
  /** Who ended the call from our side; the switch's hangup fact then carries this. */
  hangupBy?: 'agent' | 'system';
  recording?: RecordingState;
  readonly monitors = new Map<string, { supervisorId: string; mode: string }>();
  answeredAtMs?: number;
  queuedAtMs?: number;
  awaitingAmd = false;
  /** The caller left the queue without an agent (overflow): no longer routed, and hanging up is not an abandon. */
  leftQueue?: 'voicemail' | 'callback' | 'forwarded';
  /** Overflow to an outside number: the outside leg, dialing until it answers, then bridged to the caller. */
  forward?: { legId: string; to: string; from: string; stage: 'dialing' | 'bridged' };
  /** Voicemail in progress: the prompt plays, then the message is recorded to `file`. */
  voicemail?: { file: string; prompt: string; queueId?: string; phone: string; stage: 'prompt' | 'recording'; startedAtMs?: number };
  /** Callback kept: the polite goodbye plays, then the call is hung up. */
  goodbye?: string;
  /** When the caller started waiting in their current queue (after an overflow: the new queue). */
  queueSinceMs?: number;
  /** Why routing last found nobody for this waiting call (recorded once per change, not per attempt). */
  deferredReason?: string;

  constructor(callId: string, options: EndpointOptions, snapshot?: CallSnapshot) {
    this.callId = callId;
    this.options = options;
    this.actor = createActor(callMachine, snapshot ? { snapshot, input: { callId } } : { input: { callId } }).start();
  }

  get snapshot(): CallSnapshot {
    return this.actor.getSnapshot();
  }

  get status(): CallStatus {
    return callStatus(this.snapshot);
  }

  /** An agent is reserved for the call, or several agents' phones ring for it. */
  get offered(): boolean {
    return this.agentId !== undefined || this.ringing.size > 0;
  }

  /** In a queue, offered to nobody yet, and not sent on (voicemail, callback, forward): dispatch's to place. */
  get waitingForAgent(): boolean {
    return this.status === 'queued' && !this.offered && !this.leftQueue;
  }

  /** Feed the live actor the events that were just stored, so it never runs ahead of the log. */
  applyStored(events: Array<{ type: string; data: Record<string, unknown> }>): void {
    for (const e of events) {
      const me = callMachineEventOf(e as { type: string; data: Record<string, any> });
      if (me) this.actor.send(me);
    }
  }
}
