import type { Decider, Decision } from '../decider.ts';
import { isE164 } from '../phone/normalize.ts';
import { isNonEmpty, ms, reject } from '../rules.ts';
import type { CallCommand, DialCall } from './commands.ts';
import type { CallEvent, RoutingStrategy } from './events.ts';
import { decideMedia } from './media.ts';
import { evolveCall, initialCallState, type CallState } from './state.ts';
import { CALL_CATEGORY } from './streams.ts';

const STRATEGIES: readonly RoutingStrategy[] = [
  'longest_idle',
  'skills',
  'round_robin',
  'ring_all',
  'fewest_calls',
  'random',
];
const TARGETS = ['agent', 'queue', 'number'];

function dial(c: DialCall, s: CallState): Decision<CallEvent> {
  const d = c.data;
  if (s.phase !== 'none') return reject('CALL_EXISTS', `Call ${s.callId} was already dialed`);
  if (!isNonEmpty(d.callId)) return reject('CALL_ID_REQUIRED', 'A call needs an id');
  if (!isE164(d.phone)) return reject('PHONE_NOT_E164', `Dial normalized numbers only, not "${d.phone}"`);
  const cd = d.compliance;
  if (!cd || typeof cd.allowed !== 'boolean' || !Array.isArray(cd.reasons) || !cd.inputs) {
    return reject('COMPLIANCE_MISSING', 'A dial attempt carries the compliance decision and its inputs');
  }
  const base = {
    callId: d.callId,
    at: c.meta.now,
    phone: d.phone,
    campaignId: d.campaignId,
    agentId: d.agentId,
    ...(d.pass ? { pass: d.pass } : {}),
    ...(d.selection ? { selection: d.selection } : {}),
    compliance: cd,
  };
  if (!cd.allowed) return [{ type: 'CallDialBlocked', data: base }];
  // Defence in depth: an "allowed" decision whose own inputs say otherwise is a bug upstream, not a dial.
  if (
    cd.reasons.length > 0 ||
    cd.inputs.doNotCall ||
    !cd.inputs.withinCallingHours ||
    cd.inputs.attempts >= cd.inputs.maxAttempts
  ) {
    return reject('COMPLIANCE_INCONSISTENT', 'The compliance decision says allowed but its inputs forbid the call');
  }
  const attempt = d.attempt ?? cd.inputs.attempts + 1;
  return [{ type: 'CallDialAttempted', data: { ...base, direction: d.direction ?? 'outbound', attempt } }];
}

function decideCall(c: CallCommand, s: CallState): Decision<CallEvent> {
  const at = c.meta.now;
  if (c.type === 'DialCall') return dial(c, s);
  if (c.type === 'ReceiveCall') {
    if (s.phase !== 'none') return reject('CALL_EXISTS', `Call ${s.callId} already exists`);
    if (!isNonEmpty(c.data.callId)) return reject('CALL_ID_REQUIRED', 'A call needs an id');
    if (!isE164(c.data.phone))
      return reject('PHONE_NOT_E164', `Caller number must be normalized, not "${c.data.phone}"`);
    return [
      {
        type: 'CallReceived',
        data: { callId: c.data.callId, at, phone: c.data.phone, did: c.data.did, direction: 'inbound' },
      },
    ];
  }
  if (s.phase === 'none' || !s.callId) return reject('CALL_NOT_FOUND', 'No such call');
  if (s.phase === 'blocked') return reject('CALL_BLOCKED', 'This call was blocked by compliance and never dialed');
  const callId = s.callId;
  if (s.phase === 'ended') {
    if (c.type === 'EndCall') return []; // the switch may report a hangup twice
    if (c.type !== 'StopRecording') return reject('CALL_ENDED', `The call has ended (${s.endCause})`);
  }
  switch (c.type) {
    case 'MarkRinging':
      if (s.phase === 'ringing') return [];
      if (s.phase !== 'dialing') return reject('CALL_NOT_DIALING', `A ${s.phase} call cannot start ringing`);
      return [{ type: 'CallRinging', data: { callId, at } }];
    case 'MarkAnswered':
      if (s.phase !== 'dialing' && s.phase !== 'ringing')
        return reject('CALL_ALREADY_ANSWERED', 'The call was already answered');
      if (c.data.answeredBy !== 'human' && c.data.answeredBy !== 'machine')
        return reject('ANSWERED_BY_INVALID', 'Answered by a human or a machine');
      return [
        { type: 'CallAnswered', data: { callId, at, answeredBy: c.data.answeredBy, amdResult: c.data.amdResult } },
      ];
    case 'OfferCall': {
      const d = c.data;
      if (s.phase !== 'answered')
        return reject('CALL_NOT_WAITING', 'Only an answered call waiting for an agent can be offered');
      if (!STRATEGIES.includes(d.strategy))
        return reject('STRATEGY_INVALID', `Strategy is one of ${STRATEGIES.join(', ')}`);
      if (!Array.isArray(d.candidates)) return reject('CANDIDATES_INVALID', 'Candidates are a list of agent ids');
      if (d.winner !== undefined && !d.candidates.includes(d.winner))
        return reject('WINNER_NOT_CANDIDATE', `${d.winner} was not among the candidates`);
      return [
        {
          type: 'CallOffered',
          data: { callId, at, candidates: d.candidates, strategy: d.strategy, winner: d.winner, queueId: d.queueId },
        },
      ];
    }
    case 'BridgeCall':
      if (!isNonEmpty(c.data.agentId)) return reject('AGENT_REQUIRED', 'Bridge to an agent');
      if (s.phase === 'bridged') {
        if (s.agentId === c.data.agentId) return [];
        return reject('CALL_ALREADY_BRIDGED', `The call is with ${s.agentId}; transfer it instead`);
      }
      if (s.phase !== 'answered') return reject('CALL_NOT_ANSWERED', 'No bridge before the call is answered');
      if (s.abandoned) return reject('CALL_ABANDONED', 'The call was abandoned before an agent came');
      return [{ type: 'CallBridged', data: { callId, at, agentId: c.data.agentId } }];
    case 'HoldCall':
      if (s.phase !== 'bridged') return reject('CALL_NOT_BRIDGED', 'Only a call with an agent can be held');
      if (s.held) return [];
      return [{ type: 'CallHeld', data: { callId, at, by: c.meta.actorId } }];
    case 'ResumeCall':
      if (!s.held) return reject('CALL_NOT_HELD', 'The call is not on hold');
      return [{ type: 'CallResumed', data: { callId, at, by: c.meta.actorId } }];
    case 'TransferCall': {
      const { to, mode } = c.data;
      if (s.phase !== 'bridged') return reject('CALL_NOT_BRIDGED', 'Only a call with an agent can be transferred');
      if (!to || !TARGETS.includes(to.kind) || !isNonEmpty(to.id))
        return reject('TRANSFER_TARGET_INVALID', 'Transfer to an agent, a queue or a number');
      if (mode !== 'blind' && mode !== 'attended')
        return reject('TRANSFER_MODE_INVALID', 'Transfer is blind or attended');
      if (to.kind === 'agent' && to.id === s.agentId)
        return reject('TRANSFER_TO_SELF', 'The call is already with that agent');
      return [{ type: 'CallTransferred', data: { callId, at, fromAgentId: s.agentId, to, mode } }];
    }
    case 'AbandonCall':
      if (s.phase !== 'answered' || s.everBridged)
        return reject('CALL_NOT_WAITING', 'Only an answered call that never reached an agent is abandoned');
      if (s.abandoned) return [];
      if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', 'Say why the call was abandoned');
      return [{ type: 'CallAbandoned', data: { callId, at, waitedMs: waited(s, at), reason: c.data.reason } }];
    case 'EndCall': {
      if (!isNonEmpty(c.data.cause)) return reject('CAUSE_REQUIRED', 'An ended call has a hangup cause');
      const ended: CallEvent = {
        type: 'CallEnded',
        data: { callId, at, cause: c.data.cause, hangupBy: c.data.hangupBy },
      };
      // A person who answered and hung up before any agent came is an abandon: it counts against the campaign's target.
      if (
        s.phase === 'answered' &&
        s.answeredBy === 'human' &&
        !s.everBridged &&
        !s.abandoned &&
        s.direction === 'outbound'
      ) {
        return [
          { type: 'CallAbandoned', data: { callId, at, waitedMs: waited(s, at), reason: 'hung_up_before_agent' } },
          ended,
        ];
      }
      return [ended];
    }
    default:
      return decideMedia(c, s, callId);
  }
}

function waited(s: CallState, now: string): number {
  return s.answeredAt ? Math.max(0, ms(now) - ms(s.answeredAt)) : 0;
}

export const callDecider: Decider<CallCommand, CallEvent, CallState> = {
  category: CALL_CATEGORY,
  initialState: initialCallState,
  evolve: evolveCall,
  decide: decideCall,
};
