import type { NewEvent } from '../../eventstore/types.ts';

/** One append: the stream and its events, in the order a real floor would write them. */
export interface Append {
  streamId: string;
  events: NewEvent[];
}

export interface FloorDayOptions {
  /** Roughly how many events to produce (the day ends after the call that crosses it). */
  events: number;
  agents?: number;
  campaigns?: number;
  seed?: number;
  /** Local start of the shift; Asia/Shanghai 09:00 by default. */
  start?: string;
  /** Prefix of call ids, so a second run appends new calls rather than onto the first run's. */
  idPrefix?: string;
  /** Skip agent registration and campaign setup (for a continuation of a day already loaded). */
  skipSetup?: boolean;
}

const DISPOSITIONS = ['interested', 'not_interested', 'callback', 'sale', 'wrong_number', 'no_decision'];
const PAUSES = ['break', 'lunch', 'training', 'meeting'];

function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A simulated outbound floor's day: agents log in, campaigns dial leads, about a third of dials reach a
 * human, some are abandoned, the rest talk, get a disposition, sometimes an order, answers, a QA score,
 * a callback or a private claim; agents take breaks. Deterministic for a seed.
 */
export function* floorDay(opts: FloorDayOptions): Generator<Append> {
  const random = rng(opts.seed ?? 1);
  const exp = (mean: number) => -Math.log(1 - random()) * mean;
  const pick = <T>(xs: T[]) => xs[Math.floor(random() * xs.length)];
  const nAgents = opts.agents ?? 50;
  const nCampaigns = opts.campaigns ?? 3;
  let t = Date.parse(opts.start ?? '2026-11-20T09:00:00+08:00');
  const iso = (ms: number) => new Date(ms).toISOString();
  let produced = 0;
  const out = (streamId: string, events: { type: string; data: Record<string, unknown> }[]): Append => {
    produced += events.length;
    return { streamId, events: events.map((e) => ({ ...e, metadata: { occurredAt: e.data.at as string } })) };
  };

  const agents = Array.from({ length: nAgents }, (_, i) => `a${String(i + 1).padStart(3, '0')}`);
  const free = new Map(agents.map((a) => [a, t]));
  const campaigns = Array.from({ length: nCampaigns }, (_, i) => `camp${i + 1}`);
  for (const [i, a] of agents.entries()) {
    if (opts.skipSetup) break;
    yield out(`agent-${a}`, [
      { type: 'AgentRegistered', data: { agentId: a, name: `坐席${i + 1}`, teamId: `team${(i % 5) + 1}`, departmentId: 'sales', skills: [{ skill: 'zh', level: 5 }], at: iso(t) } },
      { type: 'AgentLoggedIn', data: { agentId: a, extension: String(8000 + i), at: iso(t) } },
      { type: 'AgentReady', data: { agentId: a, at: iso(t + 1000) } },
    ]);
  }
  for (const c of campaigns) {
    if (opts.skipSetup) break;
    yield out(`campaign-${c}`, [
      { type: 'CampaignCreated', data: { campaignId: c, name: `活动 ${c}`, departmentId: 'sales', config: { mode: 'predictive', abandonRateTarget: 0.03, maxAttempts: 3, queueId: `q-${c}` }, at: iso(t) } },
      { type: 'CampaignListAttached', data: { campaignId: c, listId: `list-${c}`, at: iso(t) } },
      { type: 'CampaignStarted', data: { campaignId: c, at: iso(t) } },
    ]);
  }

  let leads = 0;
  let calls = 0;
  const attempts = new Map<string, number>();
  while (produced < opts.events) {
    t += exp(1000 * 8 * 3600 / Math.max(1, opts.events / 9));
    const campaignId = pick(campaigns);
    const queueId = `q-${campaignId}`;
    let phone: string;
    if (leads > 10 && random() < 0.25) phone = `+86138${String(Math.floor(random() * leads)).padStart(8, '0')}`;
    else {
      phone = `+86138${String(leads++).padStart(8, '0')}`;
      yield out(`lead-${phone}`, [{ type: 'LeadImported', data: { phone, rawPhone: phone.slice(3), name: `客户${leads}`, source: 'file', batchId: `list-${campaignId}`, fields: { city: pick(['北京', '上海', '广州', '深圳']) }, departmentId: 'sales', at: iso(t) } }]);
    }
    const attempt = (attempts.get(phone) ?? 0) + 1;
    attempts.set(phone, attempt);
    const callId = `${opts.idPrefix ?? 'call'}${++calls}`;
    const ev: { type: string; data: Record<string, unknown> }[] = [];
    const at = (ms: number) => iso(t + ms);
    ev.push({ type: 'CallDialAttempted', data: { callId, phone, direction: 'outbound', campaignId, attempt, compliance: { allowed: true, reasons: [], inputs: {} }, at: at(0) } });
    ev.push({ type: 'CallRinging', data: { callId, at: at(500) } });
    const ring = exp(8000);
    const r = random();
    if (r < 0.55) {
      ev.push({ type: 'CallEnded', data: { callId, cause: 'NO_ANSWER', hangupBy: 'system', at: at(25_000) } });
      yield out(`call-${callId}`, ev);
      continue;
    }
    if (r < 0.65) {
      ev.push({ type: 'CallAnswered', data: { callId, answeredBy: 'machine', at: at(ring) } });
      ev.push({ type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING', hangupBy: 'system', at: at(ring + 3000) } });
      yield out(`call-${callId}`, ev);
      continue;
    }
    ev.push({ type: 'CallAnswered', data: { callId, answeredBy: 'human', at: at(ring) } });
    const agentId = [...free].sort((x, y) => x[1] - y[1])[0][0];
    ev.push({ type: 'CallOffered', data: { callId, candidates: [agentId], strategy: 'longest_idle', winner: agentId, queueId, at: at(ring + 100) } });
    if (random() < 0.03) {
      ev.push({ type: 'CallAbandoned', data: { callId, waitedMs: 2000, reason: 'no agent within 2 s', at: at(ring + 2100) } });
      ev.push({ type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING', hangupBy: 'system', at: at(ring + 2200) } });
      yield out(`call-${callId}`, ev);
      continue;
    }
    const bridged = Math.max(t + ring + 300, free.get(agentId)!);
    const talk = exp(120_000);
    const ended = bridged + talk;
    ev.push({ type: 'CallBridged', data: { callId, agentId, at: iso(bridged) } });
    ev.push({ type: 'CallRecordingStarted', data: { callId, recordingId: `rec-${callId}`, file: `/rec/${callId}.wav`, at: iso(bridged) } });
    ev.push({ type: 'CallEnded', data: { callId, cause: 'NORMAL_CLEARING', hangupBy: random() < 0.5 ? 'caller' : 'agent', at: iso(ended) } });
    ev.push({ type: 'CallRecordingStopped', data: { callId, recordingId: `rec-${callId}`, file: `/rec/${callId}.wav`, sha256: 'ab'.repeat(32), durationMs: Math.round(talk), at: iso(ended) } });
    yield out(`call-${callId}`, ev);
    const code = pick(DISPOSITIONS);
    const lead: { type: string; data: Record<string, unknown> }[] = [
      { type: 'LeadDispositionRecorded', data: { phone, dispositionId: `d-${callId}`, code, notes: '', callId, agentId, campaignId, at: iso(ended + 5000) } },
    ];
    if (code === 'callback') lead.push({ type: 'LeadCallbackScheduled', data: { phone, callbackId: `cb-${callId}`, owner: agentId, dueAt: iso(ended + 86_400_000), visibility: 'private', at: iso(ended + 6000) } });
    if (code === 'interested') lead.push({ type: 'LeadClaimed', data: { phone, agentId, privateUntil: iso(ended + 3 * 86_400_000), at: iso(ended + 6000) } });
    if (code === 'wrong_number' && random() < 0.3) lead.push({ type: 'LeadDoNotCallAdded', data: { phone, reason: '客户要求', source: 'agent', addedBy: agentId, at: iso(ended + 6000) } });
    yield out(`lead-${phone}`, lead);
    if (random() < 0.3) {
      yield out(`answers-${callId}`, [{ type: 'AnswersRecorded', data: { callId, questionnaireId: 'qn1', version: 1, answers: [{ questionId: 'q1', value: pick(['yes', 'no']) }], agentId, leadPhone: phone, at: iso(ended) } }]);
    }
    if (code === 'sale') {
      const orderId = `o-${callId}`;
      const qty = 1 + Math.floor(random() * 3);
      const total = qty * 19_900;
      yield out(`order-${orderId}`, [
        { type: 'OrderPlaced', data: { orderId, customerPhone: phone, agentId, campaignId, callId, lines: [{ productId: 'p1', name: '保健品', quantity: qty, unitPriceFen: 19_900, lineTotalFen: total }], gifts: [], subtotalFen: total, discountFen: 0, shippingFen: 0, totalFen: total, at: iso(ended + 10_000) } },
        { type: 'OrderApproved', data: { orderId, approverId: 'sup1', at: iso(ended + 600_000) } },
        { type: 'OrderPaymentRecorded', data: { orderId, paymentId: `pay-${orderId}`, payer: phone, method: 'wechat', amountFen: total, paidTotalFen: total, at: iso(ended + 700_000) } },
      ]);
    }
    if (random() < 0.1) {
      const scores = [{ criterionId: 'greeting', score: Math.floor(random() * 21) }, { criterionId: 'pitch', score: Math.floor(random() * 51) }, { criterionId: 'closing', score: Math.floor(random() * 31) }];
      yield out(`evaluation-${callId}`, [{ type: 'CallScored', data: { callId, scorecardId: 'sc1', scorecardVersion: 1, scores, total: scores.reduce((a, s) => a + s.score, 0), evaluatorId: 'qa1', agentId, at: iso(ended + 3_600_000) } }]);
    }
    const wrapEnd = ended + 15_000;
    if (random() < 0.05) {
      const pauseEnd = wrapEnd + exp(600_000);
      yield out(`agent-${agentId}`, [
        { type: 'AgentNotReady', data: { agentId, reasonCode: pick(PAUSES), at: iso(wrapEnd) } },
        { type: 'AgentReady', data: { agentId, at: iso(pauseEnd) } },
      ]);
      free.set(agentId, pauseEnd);
    } else {
      yield out(`agent-${agentId}`, [{ type: 'AgentReady', data: { agentId, at: iso(wrapEnd) } }]);
      free.set(agentId, wrapEnd);
    }
  }
}
