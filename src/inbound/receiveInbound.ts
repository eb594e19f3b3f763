/**
 * Inbound calls parked by the dialplan: each becomes a call stream with CallReceived and the
 * routing decision (rule, reason, inputs), taken before any IVR or queue so it is explainable.
 * A blacklisted caller is rejected on the switch; other destinations are recorded for the next step.
 */
import { routeInbound, type InboundDecision, type InboundRules } from '../acd/inboundRouting.ts';
import { callStreamId } from '../domain/call/streams.ts';
import { deterministicUuid } from '../eventstore/ids.ts';
import type { InboundLog } from './inboundLog.ts';
import type { TelephonyFact } from '../telephony/esl/facts.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';

export interface InboundOptions {
  /** The rules for a call to this number (E.164). */
  rules: (did: string) => InboundRules;
  /** The log as routing reads it (operator blacklist, routes, last agents); caught up before each decision. */
  log?: InboundLog;
  /** Told of every decision (the next routing step: IVR or queue). */
  onRouted?: (callId: string, decision: InboundDecision) => Promise<void> | void;
}

/** Listen for inbound channels on the media server's switch connection; returns a detach function. */
export function receiveInbound(server: MediaServer, options: InboundOptions): () => void {
  const seen = new Map<string, { from: string; did: string }>();
  const onFact = (f: TelephonyFact) => {
    if (f.kind === 'channel-created' && f.direction === 'inbound' && !server.legs.has(f.callId)) {
      seen.set(f.callId, { from: f.callerNumber ?? '', did: f.destination ?? '' });
      return;
    }
    if (f.kind === 'destroyed') seen.delete(f.callId);
    if (f.kind !== 'parked') return;
    const call = seen.get(f.callId);
    if (!call) return;
    seen.delete(f.callId);
    // Read what the log gained (a number blacklisted a moment ago). Queued now, in fact order, so the
    // call is received before the session handles its hangup.
    const ready = options.log?.catchUp();
    void server
      .enqueue(async () => {
        await ready?.catch((e) => server.onError(e)); // route with what was read rather than not at all
        return received(server, options, f.callId, call);
      })
      .catch((e) => server.onError(e));
  };
  server.esl.on('fact', onFact);
  return () => server.esl.off('fact', onFact);
}

/** Caller ids arrive as dialled; store them E.164 (mainland numbers without a prefix get +86). */
export function normalizeCaller(raw: string): string {
  const digits = raw.replace(/[^\d+]/g, '');
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('86') && digits.length === 13) return `+${digits}`;
  return `+86${digits.replace(/^0/, '')}`;
}

/**
 * The agent the caller last spoke with (from the log), whether they are free on this desk now (ready, and not
 * held for another caller waiting for them: that caller is first, this one is asked to wait too), and whether
 * they are logged in here at all (if not, nobody is offered to wait for them).
 */
function knownCustomer(server: MediaServer, log: InboundLog | undefined, phone: string, departmentId: string | undefined) {
  const lastAgentId = log?.lastAgentOf(phone);
  if (!lastAgentId) return undefined;
  // The line's department keeps its callers: a last agent of another department (another client's project) is not
  // theirs to stick to. Either side unknown to the log: as before.
  const agentDepartment = server.queues.agentDepartment(lastAgentId);
  if (departmentId && agentDepartment && !server.queues.departmentSubtree(departmentId).includes(agentDepartment)) return undefined;
  const status = server.agents.status(lastAgentId);
  return { lastAgentId, lastAgentFree: status === 'ready' && !server.heldAgents().has(lastAgentId), lastAgentLoggedIn: status !== 'logged-out' };
}

async function received(server: MediaServer, options: InboundOptions, callId: string, call: { from: string; did: string }): Promise<void> {
  const at = server.nowIso();
  const phone = normalizeCaller(call.from);
  const did = call.did.startsWith('+') ? call.did : normalizeCaller(call.did);
  const lists = options.log ? { blacklist: options.log.blacklist() } : {};
  const rules = options.rules(did);
  const decision = routeInbound({ from: phone, did, at, knownCustomer: knownCustomer(server, options.log, phone, rules.departmentId) }, rules, lists);
  await server.store.append(
    callStreamId(callId),
    [
      { id: deterministicUuid(callId, 'received'), type: 'CallReceived', data: { callId, at, phone, did, direction: 'inbound' } },
      {
        id: deterministicUuid(callId, 'routed'),
        type: 'InboundCallRouted',
        data: {
          callId, at, destination: decision.destination, priority: decision.priority, rule: decision.rule, reason: decision.reason, inputs: decision.inputs,
          offerToWaitFor: decision.offerToWaitFor, knownCustomer: decision.knownCustomer,
        },
      },
    ],
    'any',
  );
  if (decision.destination.kind === 'reject') {
    await server.calls.hangup(callId, 'CALL_REJECTED').catch(() => {});
    return;
  }
  await options.onRouted?.(callId, decision);
}
