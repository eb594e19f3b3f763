import type { RecordedEvent } from '../../../eventstore/types.ts';
import { eventTime } from '../../runtime/context.ts';
import { CounterBatch, hourOf, loadDocs, saveDocs } from '../../runtime/docs.ts';
import type { Projection } from '../../runtime/types.ts';
import { evolveAgent, splitByHour, type AgentDoc, type AgentSignal, type StateInterval } from './agent.ts';
import { evolveCall, type CallDoc, type CallDocEvent } from './call.ts';
import { evolveCampaign, type CampaignDoc } from './campaign.ts';
import { floorTables } from './ddl.ts';
import { evolveSale, type SaleDoc } from './sale.ts';

interface DispositionDoc {
  callId?: string;
  campaignId?: string;
  agentId: string;
  code: string;
  at: string;
}

interface QueueDoc {
  queueId: string;
  /** Whose queue it is: the department its missed callers belong to. */
  departmentId?: string;
  /** callId -> since when it waits. */
  waiting: Record<string, string>;
}

const AGENT_TYPES = [
  'AgentRegistered', 'AgentSkillsSet', 'AgentTeamChanged', 'AgentLoggedIn', 'AgentLoggedOut', 'AgentReady', 'AgentNotReady',
  'AgentWrapUpEnded', 'AgentForcedReady', 'AgentForcedNotReady',
  // the call session's agent machine (src/domain/machines/agentEvents.ts)
  'AgentReserved', 'AgentRinging', 'AgentReservationExpired', 'AgentCallConnected', 'AgentCallHeld', 'AgentCallResumed', 'AgentCallEnded',
];
const CAMPAIGN_TYPES = ['CampaignCreated', 'CampaignConfigured', 'CampaignListAttached', 'CampaignListDetached', 'CampaignStarted', 'CampaignPaused', 'CampaignStopped'];
const CALL_TYPES = [
  'CallReceived', 'CallDialAttempted', 'CallDialBlocked', 'CallRinging', 'CallAnswered', 'CallOffered', 'CallBridged', 'CallHeld', 'CallResumed',
  'CallTransferred', 'CallRecordingStarted', 'CallRecordingPaused', 'CallRecordingResumed', 'CallRecordingStopped', 'CallMonitored',
  'CallMonitorEnded', 'CallForceHungUp', 'CallEnded', 'CallAbandoned',
];
const OTHER_TYPES = ['LeadDispositionRecorded', 'LeadDispositionCorrected', 'AnswersRecorded', 'CallScored', 'ScoreDisputed', 'ScoreRevised'];
// What moves an order in or out of the figures (sale.ts); OrderPlaced also lists the order on its call.
const ORDER_TYPES = ['OrderPlaced', 'OrderApproved', 'OrderRefundRecorded', 'OrderCancelled'];
const SERVICE_LEVELS_S = [10, 20, 30, 60];

const d = (e: RecordedEvent) => e.data as any;

/**
 * The call floor: call detail records (with recordings, disposition, answers, QA, orders), agents and queues
 * in real time, campaigns, and hourly counters per campaign, agent and queue for any-period reports.
 */
export const floorProjection: Projection = {
  name: 'floor',
  // 4: orders count when approved, leave when cancelled, revenue net of refunds (sale.ts)
  // 5: inbound calls from CallReceived (caller, DID, direction); queues know their department
  version: 5,
  eventTypes: [...CALL_TYPES, ...AGENT_TYPES, ...CAMPAIGN_TYPES, ...OTHER_TYPES, ...ORDER_TYPES, 'QueueCreated'],
  tables: ['call', 'disposition', 'agent', 'queue', 'campaign', 'sale', 'campaign_hour', 'agent_hour', 'queue_hour'],
  createTables: floorTables,
  async handle(tx, events, ctx) {
    const dispositions = await loadDocs<DispositionDoc>(tx, ctx.table('disposition'), events.filter((e) => e.type.startsWith('LeadDisposition')).map((e) => d(e).dispositionId));
    const sales = await loadDocs<SaleDoc>(tx, ctx.table('sale'), events.filter((e) => e.type.startsWith('Order')).map((e) => d(e).orderId));
    const callIdOf = (e: RecordedEvent): string | undefined =>
      e.type === 'LeadDispositionCorrected'
        ? dispositions.get(d(e).dispositionId)?.callId
        : e.type.startsWith('Agent') || e.type.startsWith('Campaign') || e.type === 'QueueCreated' || (e.type.startsWith('Order') && e.type !== 'OrderPlaced')
          ? undefined
          : d(e).callId;
    const calls = await loadDocs<CallDoc>(tx, ctx.table('call'), events.map(callIdOf).filter((x): x is string => !!x));
    const agentKeys = new Set<string>();
    const queueKeys = new Set<string>();
    for (const e of events) {
      const data = d(e);
      if (data.agentId) agentKeys.add(data.agentId);
      if (data.fromAgentId) agentKeys.add(data.fromAgentId);
      if (data.queueId) queueKeys.add(data.queueId);
      const call = calls.get(callIdOf(e) ?? '');
      if (call?.queueId) queueKeys.add(call.queueId);
      for (const a of call?.agents ?? []) agentKeys.add(a);
    }
    const agents = await loadDocs<AgentDoc>(tx, ctx.table('agent'), agentKeys);
    const queues = await loadDocs<QueueDoc>(tx, ctx.table('queue'), queueKeys);
    const campaigns = await loadDocs<CampaignDoc>(tx, ctx.table('campaign'), events.filter((e) => e.type.startsWith('Campaign')).map((e) => d(e).campaignId));

    const byCampaign = new CounterBatch();
    const byAgent = new CounterBatch();
    const byQueue = new CounterBatch();
    const campaignAt = (id: string | undefined, at: string, c: Record<string, number>) => id && byCampaign.add({ campaignId: id, hour: hourOf(at) }, c);
    const agentAt = (id: string | undefined, at: string, c: Record<string, number>) => id && byAgent.add({ agentId: id, hour: hourOf(at) }, c);
    const queueAt = (id: string | undefined, at: string, c: Record<string, number>) => id && byQueue.add({ queueId: id, hour: hourOf(at) }, c);
    const countInterval = (i: StateInterval) => {
      for (const { hour, ms } of splitByHour(i.from, i.to)) {
        const c: Record<string, number> = { loggedInMs: i.state === 'logged_out' ? 0 : ms };
        if (i.state === 'ready') c.readyMs = ms;
        if (i.state === 'wrap_up') c.wrapMs = ms;
        if (i.state === 'not_ready') {
          c.pauseMs = ms;
          c[`pause:${i.reason ?? 'unknown'}`] = ms;
        }
        byAgent.add({ agentId: i.agentId, hour }, c);
      }
    };
    const signalAgent = (signal: AgentSignal, at: string) => {
      const { doc, left } = evolveAgent(agents.get(signal.data.agentId), signal, at);
      agents.set(doc.agentId, doc);
      ctx.changed('agent', doc.agentId);
      if (left) countInterval(left);
    };
    const dirtyCalls = new Set<string>();

    for (const e of events) {
      const at = eventTime(e);
      const data = d(e);
      if (e.type.startsWith('Agent')) {
        signalAgent(e as unknown as AgentSignal, at);
        continue;
      }
      if (e.type === 'QueueCreated') {
        queues.set(data.queueId, { ...(queues.get(data.queueId) ?? { queueId: data.queueId, waiting: {} }), departmentId: data.departmentId });
        ctx.changed('queue', data.queueId);
        continue;
      }
      if (e.type.startsWith('Campaign')) {
        campaigns.set(data.campaignId, evolveCampaign(campaigns.get(data.campaignId), e as any));
        ctx.changed('campaign', data.campaignId);
        continue;
      }
      if (e.type === 'LeadDispositionRecorded') {
        dispositions.set(data.dispositionId, { callId: data.callId, campaignId: data.campaignId, agentId: data.agentId, code: data.code, at });
        campaignAt(data.campaignId ?? calls.get(data.callId ?? '')?.campaignId, at, { [`disp:${data.code}`]: 1 });
        agentAt(data.agentId, at, { [`disp:${data.code}`]: 1 });
      } else if (e.type === 'LeadDispositionCorrected') {
        const disp = dispositions.get(data.dispositionId);
        if (disp) {
          // The correction moves the count in the original disposition's hour, so past reports stay consistent.
          const delta = { [`disp:${disp.code}`]: -1, [`disp:${data.code}`]: 1 };
          campaignAt(disp.campaignId ?? calls.get(disp.callId ?? '')?.campaignId, disp.at, delta);
          agentAt(disp.agentId, disp.at, delta);
          disp.code = data.code;
        }
      }
      const callId = callIdOf(e);
      if (e.type.startsWith('Order')) {
        const { doc, delta } = evolveSale(sales.get(data.orderId), e as any, at);
        if (doc) sales.set(data.orderId, doc);
        if (delta) {
          campaignAt(delta.campaignId, delta.at, { orders: delta.orders, revenueFen: delta.revenueFen });
          agentAt(delta.agentId, delta.at, { orders: delta.orders, revenueFen: delta.revenueFen });
        }
      }
      if (!callId) continue;
      const before = calls.get(callId);
      const had = before ? { offeredAt: before.offeredAt, bridgedAt: before.bridgedAt, endedAt: before.endedAt, scored: before.qa?.total } : {};
      const call = evolveCall(before, e as unknown as CallDocEvent, callId, at);
      calls.set(callId, call);
      dirtyCalls.add(callId);
      ctx.changed('call', callId);
      switch (e.type) {
        case 'CallDialAttempted':
          campaignAt(call.campaignId, at, { dials: 1 });
          agentAt(data.agentId, at, { dials: 1 });
          break;
        case 'CallDialBlocked':
          campaignAt(call.campaignId, at, { blocked: 1 });
          break;
        case 'CallAnswered':
          campaignAt(call.campaignId, at, data.answeredBy === 'human' ? { answered: 1 } : { machine: 1 });
          break;
        case 'CallOffered':
          if (!had.offeredAt && call.queueId) {
            queueAt(call.queueId, at, { offered: 1 });
            const q = queues.get(call.queueId) ?? { queueId: call.queueId, waiting: {} };
            q.waiting[callId] = at;
            queues.set(call.queueId, q);
            ctx.changed('queue', call.queueId);
          }
          break;
        case 'CallBridged': {
          signalAgent({ type: 'AgentTalking', data: { agentId: data.agentId, callId, at } }, at);
          if (had.bridgedAt) break;
          const contact = call.answeredBy !== 'machine' ? 1 : 0;
          campaignAt(call.campaignId, at, { contacts: contact, bridged: 1 });
          agentAt(data.agentId, at, { calls: 1, contacts: contact });
          const q = call.queueId ? queues.get(call.queueId) : undefined;
          const since = q?.waiting[callId];
          if (q && since) {
            const waitMs = Math.max(0, Date.parse(at) - Date.parse(since));
            const c: Record<string, number> = { answered: 1, waitMs };
            for (const s of SERVICE_LEVELS_S) if (waitMs <= s * 1000) c[`answeredWithin${s}s`] = 1;
            queueAt(q.queueId, since, c);
            delete q.waiting[callId];
            ctx.changed('queue', q.queueId);
          }
          break;
        }
        case 'CallTransferred':
          if (data.fromAgentId) signalAgent({ type: 'AgentCallEnded', data: { agentId: data.fromAgentId, callId, at } }, at);
          break;
        case 'CallAbandoned':
          campaignAt(call.campaignId, at, { abandoned: 1 });
          if (call.queueId) queueAt(call.queueId, at, { abandoned: 1 });
          leaveQueue(queues, call, ctx.changed);
          break;
        case 'CallEnded':
          if (had.endedAt) break;
          for (const a of call.agents) signalAgent({ type: 'AgentCallEnded', data: { agentId: a, callId, at } }, at);
          if (call.bridgedAt) {
            for (const { hour, ms } of splitByHour(call.bridgedAt, at)) {
              if (call.campaignId) byCampaign.add({ campaignId: call.campaignId, hour }, { talkMs: ms });
              if (call.agentId) byAgent.add({ agentId: call.agentId, hour }, { talkMs: ms });
            }
          }
          campaignAt(call.campaignId, at, { ended: 1 });
          leaveQueue(queues, call, ctx.changed);
          break;
        case 'CallScored':
          agentAt(call.agentId, at, { qaSum: data.total, qaCount: had.scored === undefined ? 1 : 0 });
          break;
        case 'ScoreRevised':
          if (had.scored !== undefined) agentAt(call.agentId, at, { qaSum: data.total - had.scored });
          break;
      }
    }

    await saveDocs(tx, ctx.table('disposition'), dispositions, dispositions.keys());
    await saveDocs(tx, ctx.table('call'), calls, dirtyCalls);
    await saveDocs(tx, ctx.table('agent'), agents, agents.keys());
    await saveDocs(tx, ctx.table('queue'), queues, queues.keys());
    await saveDocs(tx, ctx.table('campaign'), campaigns, campaigns.keys());
    await saveDocs(tx, ctx.table('sale'), sales, sales.keys());
    for (const k of await byCampaign.save(tx, ctx.table('campaign_hour'))) ctx.changed('campaign_hour', k);
    for (const k of await byAgent.save(tx, ctx.table('agent_hour'))) ctx.changed('agent_hour', k);
    for (const k of await byQueue.save(tx, ctx.table('queue_hour'))) ctx.changed('queue_hour', k);
  },
};

function leaveQueue(queues: Map<string, QueueDoc>, call: CallDoc, changed: (t: string, k: string) => void): void {
  const q = call.queueId ? queues.get(call.queueId) : undefined;
  if (q && q.waiting[call.callId]) {
    delete q.waiting[call.callId];
    changed('queue', q.queueId);
  }
}
