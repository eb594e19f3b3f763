/**
 * Bring what we believe in line with what the switch has (`show channels as json`):
 * calls whose channel vanished are ended with a reason, agents left on them go to wrap-up
 * (if they were talking) or ready, and nothing stays reserved or on a call that is not there.
 * Used after a process restart and after an ESL reconnect (the switch may have restarted too).
 */
import { agentStatus } from '../../domain/machines/agentMachine.ts';
import { reconcileForward } from '../../inbound/overflow.ts';
import { resumeVoicemail } from '../../inbound/voicemail.ts';
import { timerIds } from '../../scheduler/timers.ts';
import type { LiveChannel } from '../esl/facts.ts';
import { endForAgent, handleLegFact } from '../session/facts.ts';
import type { MediaServer } from '../session/mediaServer.ts';
import { restoreFromStore } from './restore.ts';

/** Cause recorded for a call the switch no longer has (our process or the switch was down when it ended). */
export const VANISHED = 'VANISHED_DURING_RESTART';

export interface ReconcileReport {
  kept: string[];
  ended: string[];
  releasedAgents: string[];
}

export async function reconcile(server: MediaServer, channels: LiveChannel[]): Promise<ReconcileReport> {
  const live = new Map(channels.map((c) => [c.callId, c]));
  const report: ReconcileReport = { kept: [], ended: [], releasedAgents: [] };
  for (const ep of [...server.endpoints.values()]) {
    if (ep.status === 'ended') continue;
    const customer = live.get(ep.callId);
    if (!customer) {
      // Not originated yet in preview mode is not "vanished": the agent leg decides.
      if (ep.options.preview && ep.agentLeg && live.has(ep.agentLeg)) continue;
      await server.callEvent(ep, { type: 'HANGUP', cause: VANISHED, hangupBy: 'system' });
      await server.scheduler.cancel(timerIds.connectRule(ep.callId), 'call vanished');
      await server.scheduler.cancel(timerIds.ringTimeout(ep.callId), 'call vanished');
      // The caller is gone: an outside number they were forwarded to is hung up too.
      if (ep.forward) await server.calls.hangup(ep.forward.legId).catch(() => {});
      if (ep.agentId) {
        await endForAgent(server, ep.agentId, ep.callId, VANISHED);
        report.releasedAgents.push(ep.agentId);
        if (ep.agentLeg && live.has(ep.agentLeg)) await server.calls.hangup(ep.agentLeg).catch(() => {});
      }
      server.endpoints.delete(ep.callId);
      server.legs.delete(ep.callId);
      if (ep.agentLeg) server.legs.delete(ep.agentLeg);
      report.ended.push(ep.callId);
      continue;
    }
    report.kept.push(ep.callId);
    if (ep.agentId && ep.agentLeg && !live.has(ep.agentLeg)) {
      const agentId = ep.agentId;
      const status = server.agents.status(agentId);
      if (status === 'reserved' || status === 'ringing') {
        ep.agentId = undefined;
        ep.agentLeg = undefined;
        await server.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
        await server.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), 'agent leg vanished');
        report.releasedAgents.push(agentId);
      } else {
        // The agent's phone is gone while the customer waits in silence: end the call properly.
        ep.hangupBy = 'system';
        await server.calls.hangup(ep.callId).catch(() => {});
      }
    }
    // In a voicemail's prompt: its end may have passed unheard; record now rather than leave the caller in silence.
    // Recording by the log: the switch may not have been told yet (resumeVoicemail asks it).
    if (ep.voicemail) await resumeVoicemail(server, ep);
    // Forwarded to an outside number: that leg may have answered or ended while we were away.
    if (ep.forward) await reconcileForward(server, ep, live.get(ep.forward.legId), VANISHED);
    // We missed the answer while down: apply it now so the call moves on (queue, bridge).
    if (['dialing', 'ringing', 'early-media'].includes(ep.status) && customer.callState === 'ACTIVE') {
      await handleLegFact(server, { kind: 'answered', callId: ep.callId, coreId: 'reconcile', seq: 0, at: server.clock.now(), tags: {} });
    }
  }
  // Agents still attached to a call this server does not hold: release them.
  for (const a of server.agents.all()) {
    const snap = a.actor.getSnapshot();
    const callId = snap.context.callId;
    const status = agentStatus(snap);
    if (callId && ['reserved', 'ringing', 'on-call', 'held'].includes(status) && !server.endpoints.has(callId)) {
      await endForAgent(server, a.agentId, callId, VANISHED);
      report.releasedAgents.push(a.agentId);
    } else if (status === 'wrap-up' && callId) {
      // Idempotent: if the wrap-up timer was stored before the crash, the stored one stands.
      await server.scheduler.schedule({
        timerId: timerIds.wrapUpEnd(a.agentId, callId),
        kind: 'wrap-up-end',
        dueAtMs: server.clock.now() + server.wrapUpMs,
        command: { target: 'agent', id: a.agentId, event: { type: 'WRAP_UP_DONE', callId } },
      });
    }
  }
  await server.dispatch();
  return report;
}

/** Process start: load timers, restore machines from the store, then reconcile against the switch. */
export function recover(server: MediaServer): Promise<ReconcileReport & { restoredCalls: string[]; restoredAgents: string[] }> {
  return server.enqueue(async () => {
    await server.scheduler.load();
    const restored = await restoreFromStore(server);
    const report = await reconcile(server, await server.calls.listChannels());
    return { ...report, restoredCalls: restored.calls, restoredAgents: restored.agents };
  });
}

/** After every ESL reconnect, reconcile with the channel list the adapter fetched. */
export function reconcileOnReconnect(server: MediaServer): () => void {
  const onReady = ({ reconnect, channels }: { reconnect: boolean; channels: LiveChannel[] }) => {
    if (!reconnect) return;
    server.enqueue(() => reconcile(server, channels)).catch((e) => server.onError(e));
  };
  server.esl.on('ready', onReady);
  return () => server.esl.off('ready', onReady);
}
