import { handleCommand } from '../commands/handleCommand.ts';
import type { CallControlPort } from '../api/telephony.ts';
import { callDecider } from '../domain/call/decider.ts';
import { campaignDecider } from '../domain/campaign/decider.ts';
import type { CallingHours } from '../domain/campaign/events.ts';
import { DomainError, fold } from '../domain/decider.ts';
import { checkDial } from '../dialer/compliance/checkDial.ts';
import type { EventStore } from '../eventstore/types.ts';
import { DialHistory } from '../dialer/compliance/dialHistory.ts';
import { timerIds } from '../scheduler/timers.ts';
import { supervisorLegId } from './session/callEndpoint.ts';
import type { MediaServer } from './session/mediaServer.ts';

/** Without a campaign, a person's manual dial still keeps to daytime in the callee's zone. */
const MANUAL_HOURS: CallingHours = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '21:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' };

/** A retried desk click repeats something recent: its event is among the agent's latest ones, not their whole history. */
export const RETRY_LOOKBACK = 50;

export interface CallControlPortOptions {
  store: EventStore;
  media: MediaServer;
  /** Dial string of a customer number (E.164). */
  customerDial: (e164: string) => string;
  /** Dial string of a supervisor's phone. */
  supervisorDial?: (supervisorId: string) => string;
  /** Compliance history of the floor, shared with the dialers (default: one of its own). */
  history?: DialHistory;
  /** Milliseconds now, for calling hours and the receipt (default the wall clock; tests pin the hour). */
  now?: () => number;
}

/**
 * The API's call-control port, served by the live call session. The API has already recorded who asked
 * for what (force hang-up, monitoring); this side does the switch work and the session records what the
 * switch then reports.
 */
export function callControlPort(o: CallControlPortOptions): Required<CallControlPort> {
  const { store, media } = o;
  // Compliance inputs (do-not-call list and version, attempts, recent dials) from the log, read up to date
  // before every manual dial: the same source the live dialer uses, with no read-model lag between two clicks.
  const history = o.history ?? new DialHistory(store);
  const supervisorDial = o.supervisorDial ?? ((id: string) => `user/${id}`);
  const live = (callId: string) => {
    const ep = media.endpoint(callId);
    if (!ep || ep.status === 'ended') throw new DomainError('CALL_NOT_LIVE', `通话不在进行中 / call ${callId} is not live on this server`);
    return ep;
  };
  return {
    async dial({ callId, phone, agentId, campaignId }) {
      const events = campaignId ? await store.readStream(`campaign-${campaignId}`) : [];
      const campaign = campaignId ? fold(campaignDecider, events as any) : undefined;
      const config = (campaign as any)?.config;
      const now = new Date((o.now ?? Date.now)()).toISOString();
      await history.catchUp();
      // Never two calls to one number at once: a dialer call or a colleague's click may be ringing it now.
      if (history.livePhones(Date.parse(now)).has(phone)) {
        throw new DomainError('NUMBER_BUSY', `该号码正在通话或振铃中 / ${phone} is already on a live call`);
      }
      const attempts = history.attemptsOf(phone, campaignId ?? '');
      const compliance = checkDial(
        { phone, now, attempts, recentDials: history.recentDials(phone), predictive: false, campaignAbandons: { answers: 0, abandons: 0, window: 'n/a (preview)' } },
        { version: campaignId ? `campaign-${campaignId}@${events.length - 1}` : 'manual-1', callingHours: config?.callingHours ?? MANUAL_HOURS, maxAttempts: config?.maxAttempts ?? 10, abandonRateTarget: config?.abandonRateTarget ?? 0.03 },
        history.lists(),
      );
      await handleCommand(store, callDecider, callId, {
        type: 'DialCall',
        data: { callId, phone, direction: 'outbound', campaignId, agentId, attempt: attempts + 1, compliance },
        meta: { now, commandId: `click-to-dial:${callId}`, actorId: agentId, actorRole: 'agent' },
      });
      if (!compliance.allowed) throw new DomainError('DIAL_REFUSED', `拨号被合规规则拒绝 / the dial was refused: ${compliance.reasons.join(', ')}`, { reasons: compliance.reasons });
      await media.clickToDial({ callId, agentId, dial: o.customerDial(phone), campaignId, leadId: phone, recording: config?.recording ?? 'always', callerId: config?.callerId });
    },
    async hangUp(callId, req) {
      live(callId);
      await media.hangup(callId, req.cause === 'SUPERVISOR_FORCED' ? 'system' : 'agent');
    },
    async hold(callId) {
      live(callId);
      await media.hold(callId);
    },
    async unhold(callId) {
      live(callId);
      await media.unhold(callId);
    },
    async transfer(callId, to) {
      const ep = live(callId);
      if (to.kind !== 'agent') throw new DomainError('TRANSFER_NOT_SUPPORTED', `暂不支持转接到${to.kind} / transfer to a ${to.kind} is not supported yet`);
      if (!ep.agentLeg) throw new DomainError('NO_AGENT_ON_CALL', 'there is no agent on this call to transfer from');
      const { forceTransfer } = await import('./session/supervisor.ts');
      await forceTransfer(media, callId, to.id, { actorId: ep.agentId ?? 'agent', actorRole: 'supervisor', reason: 'agent transfer' });
    },
    async monitor(callId, supervisorId, mode) {
      const ep = live(callId);
      if (!ep.agentLeg) throw new DomainError('NO_AGENT_ON_CALL', '没有坐席在通话中 / there is no agent on this call to monitor');
      const legId = supervisorLegId(callId, supervisorId);
      media.legs.set(legId, { legId, callId, role: 'supervisor', supervisorId });
      ep.monitors.set(legId, { supervisorId, mode });
      await media.calls.eavesdrop({ supervisorCallId: legId, supervisorDial: supervisorDial(supervisorId), targetCallId: ep.agentLeg, mode, tags: { campaignId: ep.options.campaignId } });
    },
    // The agent's own desk buttons act on the live agent machine, so the switch, the machine and the log agree.
    finishWrapUp(agentId, commandId) {
      return media.enqueue(async () => {
        const status = media.agents.status(agentId);
        // The same click again after it went through (a retry) is not an error.
        if (status !== 'wrap-up' && commandId && (await store.readStream(`agent-${agentId}`, { direction: 'backwards', maxCount: RETRY_LOOKBACK })).some((e) => e.metadata.commandId === commandId)) return;
        if (status !== 'wrap-up') throw new DomainError('NOT_IN_WRAP_UP', `坐席不在话后整理中（当前：${status}）/ agent ${agentId} is ${status}, not in wrap-up`);
        const callId = media.agents.get(agentId)!.actor.getSnapshot().context.callId;
        const r = await media.agentEvent(agentId, { type: 'WRAP_UP_DONE', callId }, { actor: { actorId: agentId, actorRole: 'agent' }, commandId });
        if (r instanceof DomainError) throw r;
        if (callId) await media.scheduler.cancel(timerIds.wrapUpEnd(agentId, callId), 'agent finished wrap-up');
        await media.dispatch();
      });
    },
    answer(agentId, expectedCallId) {
      return media.enqueue(async () => {
        const status = media.agents.status(agentId);
        const callId = media.agents.get(agentId)?.actor.getSnapshot().context.callId;
        const ep = callId ? media.endpoint(callId) : undefined;
        // Answering again a call this agent already took (a retry) just names it.
        if ((status === 'on-call' || status === 'held') && callId && ep?.agentId === agentId && (!expectedCallId || expectedCallId === callId)) return callId;
        const offered = (status === 'reserved' || status === 'ringing') && callId && ep?.agentLeg && ep.agentId === agentId;
        if (!offered || (expectedCallId && expectedCallId !== callId)) {
          throw new DomainError('NOTHING_OFFERED', `没有呼入分配给您（当前：${status}）/ no call is offered to agent ${agentId} (${status})`);
        }
        // Answering the agent's ringing leg is what the phone would do; the answered fact then bridges the call.
        await media.esl.api(`uuid_answer ${ep.agentLeg}`).catch(() => {
          throw new DomainError('PHONE_NOT_RINGING', '话机尚未振铃，请稍后再试 / your phone is not ringing yet; try again in a moment');
        });
        return callId;
      });
    },
    async stopMonitoring(callId, supervisorId) {
      const ep = media.endpoint(callId);
      const legId = supervisorLegId(callId, supervisorId);
      ep?.monitors.delete(legId);
      await media.calls.hangup(legId).catch(() => {});
    },
  };
}
