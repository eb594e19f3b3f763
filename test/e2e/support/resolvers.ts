import { GraphQLError } from 'graphql';
import { DomainError } from '../../../src/domain/decider.ts';
import { toE164 } from '../../../src/domain/phone/normalize.ts';
import { CUSTOMER_PHONE, PASSWORD, type Scenario, type ScenarioUser } from './scenario.ts';

type Ctx = { user?: ScenarioUser };
type Resolver = (args: any, ctx: Ctx) => unknown;

const fail = (code: string, reason: string) => new GraphQLError(reason, { extensions: { code, reason } });
const result = (s: Scenario, streamId: string, e?: { position: number }) => ({ streamId, events: [], position: e?.position ?? s.position, repeated: false });

function need(ctx: Ctx, ...roles: string[]): ScenarioUser {
  if (!ctx.user) throw fail('UNAUTHENTICATED', '请先登录');
  if (roles.length && !roles.includes(ctx.user.role)) throw fail('FORBIDDEN', '无权限');
  return ctx.user;
}

/**
 * QueueInput checked as the API does (floorAdmin queueConfig and the queue decider): agentIds refused (members come
 * from skills), priority 1..10, an overflow number kept as E.164 or refused with the reason. Left out: unchanged.
 */
function queueFields(input: any): Record<string, unknown> {
  if (input.agentIds?.length) throw fail('BAD_USER_INPUT', '队列成员由坐席技能决定 / queue members come from agent skills; agentIds is not supported');
  const f: Record<string, unknown> = {};
  if (input.strategy != null) f.strategy = input.strategy;
  if (input.maxWaitSeconds != null) f.maxWaitSeconds = input.maxWaitSeconds;
  if (input.priority != null) {
    if (!Number.isInteger(input.priority) || input.priority < 1 || input.priority > 10) throw fail('QUEUE_PRIORITY_INVALID', 'Queue priority is a whole number from 1 to 10');
    f.priority = input.priority;
  }
  if (input.overflow !== undefined) {
    const o = input.overflow;
    let targetId = o?.targetId ?? null;
    if (o?.kind === 'NUMBER') {
      const e164 = toE164(targetId ?? '');
      if (e164 instanceof DomainError) throw fail('OVERFLOW_NUMBER_INVALID', `溢出转接号码无效 / Overflow number: ${e164.message}`);
      targetId = e164;
    }
    f.overflow = o ? { afterSeconds: o.afterSeconds, kind: o.kind, targetId } : null;
  }
  return f;
}

/** Query and mutation resolvers for the fields the console uses; anything else answers FORBIDDEN-free nulls. */
export function resolvers(s: Scenario): { Query: Record<string, Resolver>; Mutation: Record<string, Resolver>; Subscription: Record<string, (args: any, ctx: Ctx) => AsyncIterableIterator<unknown>> } {
  const agentState = (id: string) => {
    const a = s.agents.get(id)!;
    const call = a.callId ? s.calls.find((c) => c.id === a.callId) : null;
    return { agent: s.users.find((u) => u.id === id), status: a.status, pauseReason: a.pauseReason, since: a.since, currentCall: call, extension: a.extension, campaigns: [s.campaign], queues: [], position: s.position };
  };
  const onCall = (ctx: Ctx, callId: string, type: string, data: unknown = {}) => {
    const u = need(ctx);
    if (!s.calls.some((c) => c.id === callId)) throw fail('NOT_FOUND', `通话 ${callId} 不存在`);
    return result(s, `call-${callId}`, s.record(`call-${callId}`, type, data, u.id));
  };
  return {
    Query: {
      serverInfo: () => ({ now: new Date().toISOString(), headPosition: s.position, version: 'scenario' }),
      me: (_a, ctx) => ctx.user ?? null,
      agentState: ({ agentId }, ctx) => (need(ctx), s.agents.has(agentId) ? agentState(agentId) : null),
      agentStates: (_a, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN', 'AUDITOR'), [...s.agents.keys()].map(agentState)),
      wallboard: (_a, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN', 'AUDITOR'), s.wallboardNow()),
      queues: (_a, ctx) => (need(ctx), s.queues),
      campaigns: (_a, ctx) => (need(ctx), { nodes: [...s.extraCampaigns, { ...s.campaign, stats: { leadsTotal: 1000, leadsRemaining: 640, dials: 360, connects: 200, abandoned: 4, abandonRate: 0.02, orders: s.orders.length + 5, agentsLoggedIn: 2, linesInFlight: 3 } },
        { ...s.previewCampaign, stats: { leadsTotal: 2, leadsRemaining: s.previewLeads.length, dials: s.dials.length, connects: 0, abandoned: 0, abandonRate: 0, orders: 0, agentsLoggedIn: 1, linesInFlight: 0 } }], pageInfo: { hasNextPage: false } }),
      nextPreviewLead: ({ campaignId }, ctx) => {
        need(ctx, 'AGENT');
        if (campaignId === s.campaign.id) throw fail('CAMPAIGN_NOT_PREVIEW', '活动为predictive模式，由拨号器拨号 / the dialer places its calls');
        if (campaignId !== s.previewCampaign.id) throw fail('NOT_FOUND', `活动 ${campaignId} 不存在`);
        const next = s.previewLeads.shift();
        return next ? { ...next, heldUntil: new Date(Date.now() + 120_000).toISOString() } : null;
      },
      users: ({ filter }, ctx) => (need(ctx, 'ADMIN', 'SUPERVISOR'), { nodes: s.users.filter((u) => !filter?.role || u.role === filter.role), pageInfo: { hasNextPage: false } }),
      departments: (_a, ctx) => (need(ctx), s.departments),
      dnc: (_a, ctx) => (need(ctx, 'ADMIN'), { nodes: s.dnc, pageInfo: { hasNextPage: false } }),
      blacklist: (_a, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN', 'AUDITOR'), s.blacklist),
      ivrMenus: (_a, ctx) => (need(ctx, 'ADMIN'), s.ivrMenus),
      prompts: (_a, ctx) => (need(ctx, 'ADMIN'), s.prompts),
      importJob: ({ id }, ctx) => (need(ctx, 'ADMIN'), s.lastImport && { id, filename: 'x.csv', startedAt: new Date().toISOString(), status: 'done', ...s.lastImport }),
      products: (_a, ctx) => (need(ctx), [...s.campaign.products, { id: 'ca-100', sku: 'CA-100', name: '钙片', price: 9900, points: 10, category: null, discontinued: false }]),
      questionnaires: (_a, ctx) => (need(ctx), [s.questionnaire]),
      campaign: ({ id }, ctx) => (need(ctx), [s.campaign, s.previewCampaign, ...s.extraCampaigns].find((c) => c.id === id) ?? null),
      customer: ({ phone }, ctx) => (need(ctx), s.customer(phone)),
      callbacks: ({ filter }, ctx) => (need(ctx), { nodes: s.callbacks.filter((c) => (!filter?.agentId || c.agent?.id === filter.agentId) && (!filter?.status || filter.status.includes(c.status))), pageInfo: { hasNextPage: false } }),
      leads: ({ filter }, ctx) => (need(ctx), { nodes: s.lead.owner && s.lead.owner.id === filter?.ownerId ? [s.lead] : [], pageInfo: { hasNextPage: false, totalCount: s.lead.owner ? 1 : 0 } }),
      agentRanking: (_a, ctx) => (need(ctx), [{ agent: s.users[0], rank: 1, calls: s.calls.length, connects: s.calls.length, talkSeconds: 60, orders: s.orders.length, ordersAmount: s.orders.reduce((n, o) => n + o.total, 0), conversionRate: 0.5, averageQaScore: null }]),
      recordingAnnotations: ({ recordingId }, ctx) => (need(ctx), s.annotations.filter((n) => n.recordingId === recordingId && !n.removed).sort((a, b) => a.atSeconds - b.atSeconds)
        .map((n) => ({ ...n, authorName: s.users.find((u) => u.id === n.authorId)?.displayName ?? null }))),
      recordings: ({ filter }, ctx) => (need(ctx), s.recordingSearches.push(filter ?? {}), { nodes: s.calls.filter((c) => !filter?.agentId || c.agent?.id === filter.agentId).flatMap((c) => c.recordings), pageInfo: { hasNextPage: false } }),
      orderPoints: ({ lines, customerPhone }, ctx) => {
        need(ctx, 'AGENT');
        const earned = lines.reduce((n: number, l: any) => n + (s.productPoints[l.sku] ?? 0) * l.quantity, 0);
        return { earned, balance: customerPhone === s.lead.id || customerPhone === CUSTOMER_PHONE ? s.loyaltyBalance : null };
      },
      callQuestionnaire: ({ callId }, ctx) => {
        need(ctx);
        const answers = s.answers.get(callId) ?? null;
        return { callId, questionnaire: s.questionnaire, answers, answeredAt: answers ? new Date().toISOString() : null };
      },
      call: ({ id }, ctx) => (need(ctx), s.calls.find((c) => c.id === id) ?? null),
      callReceipts: ({ callId }) => ({ callId, routing: [], compliance: [{ position: 101, at: new Date().toISOString(), check: 'dnc', passed: true, details: {} }] }),
      history: ({ stream }, ctx) => {
        need(ctx, 'AUDITOR', 'ADMIN', 'SUPERVISOR');
        // Each event names its actor, as the real API does from metadata.actorId (null for the system or a bot).
        const events = s.events.filter((e) => e.streamId === stream).map((e) => ({ ...e, actor: s.users.find((u) => u.id === e.metadata.actorId) ?? null }));
        return { streamId: stream, events, version: events.length };
      },
      verify: ({ stream }, ctx) => (need(ctx, 'AUDITOR', 'ADMIN'), { ok: true, checked: s.events.filter((e) => !stream || e.streamId === stream).length, scope: stream ?? 'all', problem: null, summary: 'ok' }),
      evidenceBundle: ({ phone }, ctx) => (need(ctx, 'AUDITOR', 'ADMIN'), { phone, calls: s.calls.map((c) => c.id), orders: s.orders.map((o) => o.id) }),
    },
    Mutation: {
      login: ({ username, password }) => {
        const u = s.users.find((x) => x.username === username);
        if (!u || password !== PASSWORD) throw fail('UNAUTHENTICATED', '用户名或密码错误');
        const token = `tok-${u.id}-${s.tokens.size}`;
        s.tokens.set(token, u);
        return { token, expiresAt: new Date(Date.now() + 3600_000).toISOString(), user: u };
      },
      logout: () => true,
      agentLogin: ({ extension }, ctx) => (s.setAgent(need(ctx).id, 'PAUSED', { pauseReason: 'break', extension }), result(s, `agent-${ctx.user!.id}`)),
      setAgentAvailable: (_a, ctx) => (s.setAgent(need(ctx).id, 'AVAILABLE'), result(s, `agent-${ctx.user!.id}`)),
      pauseAgent: ({ reason }, ctx) => (s.setAgent(need(ctx).id, 'PAUSED', { pauseReason: reason }), result(s, `agent-${ctx.user!.id}`)),
      submitAnswers: ({ callId, answers }, ctx) => {
        const u = need(ctx, 'AGENT');
        if (s.answers.has(callId)) throw fail('ANSWERS_EXIST', '本通话的问卷已记录 / answers for this call are already recorded');
        const missing = s.questionnaire.questions.filter((q) => q.required && !answers.some((a: any) => a.questionId === q.id));
        if (missing.length) throw fail('REQUIRED_UNANSWERED', `必答题未答 / Required: ${missing.map((q) => q.text).join('; ')}`);
        s.answers.set(callId, answers);
        return result(s, `answers-${callId}`, s.record(`answers-${callId}`, 'AnswersRecorded', { callId, answers }, u.id));
      },
      answerCall: ({ callId }, ctx) => {
        const u = need(ctx, 'AGENT');
        const a = s.agents.get(u.id)!;
        if (a.status !== 'RINGING' || !a.callId || (callId && callId !== a.callId)) throw fail('NOTHING_OFFERED', '没有呼入分配给您 / no call is offered to you');
        return result(s, `call-${a.callId}`, s.answer(u.id));
      },
      finishWrapUp: (_a, ctx) => (s.setAgent(need(ctx).id, 'AVAILABLE'), result(s, `agent-${ctx.user!.id}`)),
      agentLogout: (_a, ctx) => (s.setAgent(need(ctx).id, 'LOGGED_OUT'), result(s, `agent-${ctx.user!.id}`)),
      dial: ({ phone, leadId, campaignId }, ctx) => {
        const u = need(ctx, 'AGENT');
        s.dials.push({ phone, leadId: leadId ?? null, campaignId: campaignId ?? null, by: u.id });
        // The agent's leg rings first, as the live floor does for a preview dial.
        const callId = s.deliverCall(u.id, { phone, display: phone.replace(/^\+86(\d{3})(\d{4})(\d{4})$/, '$1 $2 $3'), ringing: true });
        return result(s, `call-${callId}`);
      },
      hangUp: ({ callId }, ctx) => (need(ctx), s.endCall(callId, ctx.user!.id), result(s, `call-${callId}`)),
      hold: ({ callId }, ctx) => (onCall(ctx, callId, 'HoldRequested'), result(s, `call-${callId}`, s.callFact(callId, 'CallHeld', ctx.user!.id))),
      unhold: ({ callId }, ctx) => (onCall(ctx, callId, 'ResumeRequested'), result(s, `call-${callId}`, s.callFact(callId, 'CallResumed', ctx.user!.id))),
      setDisposition: ({ callId, disposition, note }, ctx) => {
        const r = onCall(ctx, callId, 'CallDispositioned', { disposition, note });
        const call = s.calls.find((c) => c.id === callId)!;
        Object.assign(call, { disposition, dispositionNote: note ?? null });
        s.lead.lastDisposition = disposition;
        if (s.agents.get(ctx.user!.id)?.status === 'WRAP_UP') s.setAgent(ctx.user!.id, 'AVAILABLE');
        return r;
      },
      createLead: ({ phone, name, campaignId, customFields }, ctx) => {
        const u = need(ctx, 'AGENT');
        s.createdLeads.push({ phone, name, campaignId, customFields: customFields ?? {} });
        return result(s, `lead-${phone}`, s.record(`lead-${phone}`, 'LeadCreated', { phone, name, campaignId, customFields }, u.id));
      },
      placeOrder: ({ leadId, callId, lines }, ctx) => {
        const u = need(ctx, 'AGENT');
        if (leadId !== s.lead.id) throw fail('NOT_FOUND', '客户不存在');
        const total = lines.reduce((n: number, l: any) => n + l.quantity * l.unitPrice, 0);
        const id = `ord-${s.orders.length + 1}`;
        const e = s.record(`order-${id}`, 'OrderPlaced', { leadId, callId, lines, total }, u.id);
        const pointsEarned = lines.filter((l: any) => l.unitPrice > 0).reduce((n: number, l: any) => n + (s.productPoints[l.sku] ?? 0) * l.quantity, 0);
        s.orders.unshift({ id, lead: s.lead, call: null, agent: u, campaign: s.campaign, lines, total, pointsEarned, paid: 0, status: 'PENDING_APPROVAL', placedAt: e.recordedAt, payments: [], position: e.position });
        s.record(`lead-${leadId}`, 'LeadOrderPlaced', { orderId: id, total }, u.id);
        s.counters.ordersToday += 1;
        s.counters.ordersAmountToday += total;
        s.publishWallboard(e);
        return result(s, `order-${id}`, e);
      },
      createCampaign: ({ input }, ctx) => {
        need(ctx, 'ADMIN');
        const id = `c-${s.extraCampaigns.length + 1}`;
        s.extraCampaigns.push({ ...s.campaign, ...input, id, status: 'DRAFT', stats: { leadsTotal: 0, leadsRemaining: 0, dials: 0, connects: 0, abandoned: 0, abandonRate: 0, orders: 0, agentsLoggedIn: 0, linesInFlight: 0 } });
        return result(s, `campaign-${id}`, s.record(`campaign-${id}`, 'CampaignCreated', input, ctx.user!.id));
      },
      updateCampaign: ({ id, input }, ctx) => {
        need(ctx, 'ADMIN');
        const c = s.extraCampaigns.find((x) => x.id === id);
        if (!c) throw fail('NOT_FOUND', `活动 ${id} 不存在`);
        Object.assign(c, input);
        return result(s, `campaign-${id}`, s.record(`campaign-${id}`, 'CampaignConfigured', input, ctx.user!.id));
      },
      createDepartment: ({ id, name }, ctx) => {
        need(ctx, 'ADMIN');
        const d = { id: id ?? `d-${s.departments.length + 1}`, name, parent: null, children: [], teams: [] };
        s.departments.push(d);
        return result(s, `department-${d.id}`);
      },
      createTeam: ({ departmentId, name, leaderId }, ctx) => {
        need(ctx, 'ADMIN');
        const d = s.departments.find((x) => x.id === departmentId);
        if (!d) throw fail('NOT_FOUND', `部门 ${departmentId} 不存在`);
        const t = { id: `t-${d.teams.length + 1}`, name, department: d, leader: s.users.find((u) => u.id === leaderId) ?? null, members: [] };
        d.teams.push(t);
        return result(s, `department-${d.id}`);
      },
      moveUser: ({ userId, departmentId, teamId }, ctx) => {
        need(ctx, 'ADMIN');
        const u = s.users.find((x) => x.id === userId) as any;
        const d = s.departments.find((x) => x.id === departmentId) ?? null;
        Object.assign(u, { department: d, team: d?.teams.find((t: any) => t.id === teamId) ?? null });
        return result(s, `user-${userId}`);
      },
      createUser: ({ input }, ctx) => {
        need(ctx, 'ADMIN');
        if (s.users.some((u) => u.username === input.username)) throw fail('CONFLICT', `用户名 ${input.username} 已存在`);
        const u = { id: `u-${s.users.length + 1}`, username: input.username, displayName: input.displayName, role: input.role, department: s.departments.find((d) => d.id === input.departmentId) ?? null, team: null, supervisedDepartments: [], disabled: false };
        s.users.push(u as any);
        return result(s, `user-${u.id}`);
      },
      transfer: (args, ctx) => {
        const u = need(ctx, 'AGENT');
        s.transfers.push({ ...args, by: u.id });
        return onCall(ctx, args.callId, 'CallTransferRequested', { toAgentId: args.toAgentId ?? null, toQueueId: args.toQueueId ?? null, toNumber: args.toNumber ?? null });
      },
      completeCallback: ({ callbackId }, ctx) => {
        const u = need(ctx);
        const cb = s.callbacks.find((c) => c.id === callbackId);
        if (!cb) throw fail('NOT_FOUND', `回访 ${callbackId} 不存在`);
        cb.status = 'COMPLETED';
        return result(s, `callback-${callbackId}`, s.record(`callback-${callbackId}`, 'CallbackCompleted', {}, u.id));
      },
      createQueue: ({ id, input }, ctx) => {
        need(ctx, 'ADMIN');
        // A new queue without them: longest idle, 120 s, priority 5, no overflow (as the API).
        const q = { id: id ?? `q-${s.queues.length + 1}`, name: input.name, strategy: 'LONGEST_IDLE', maxWaitSeconds: 120, priority: 5, overflow: null, ...queueFields(input), department: null, agents: [], position: ++s.position };
        s.queues.push(q);
        return result(s, `queue-${q.id}`);
      },
      updateQueue: ({ id, input }, ctx) => {
        need(ctx, 'ADMIN');
        const q = s.queues.find((x) => x.id === id);
        if (!q) throw fail('NOT_FOUND', `队列 ${id} 不存在`);
        Object.assign(q, { name: input.name, ...queueFields(input), position: ++s.position });
        return result(s, `queue-${id}`);
      },
      setIvrMenu: ({ id, input }, ctx) => {
        need(ctx, 'ADMIN');
        if (input.promptId && !s.prompts.some((p) => p.id === input.promptId)) throw fail('NOT_FOUND', `语音 ${input.promptId} 不存在`);
        s.ivrMenus = [...s.ivrMenus.filter((m) => m.id !== id), { id, ...input, position: ++s.position }];
        return result(s, `ivr-${id}`);
      },
      addToDnc: ({ phone, reason }, ctx) => {
        const u = need(ctx, 'ADMIN');
        s.dnc.push({ phone, scope: 'GLOBAL', campaign: null, reason, source: 'console', addedBy: u, addedAt: new Date().toISOString(), expiresAt: null });
        return result(s, `dnc-${phone}`);
      },
      blacklistNumber: ({ phone, reason }, ctx) => {
        const u = need(ctx, 'SUPERVISOR', 'ADMIN');
        const e164 = '+86' + String(phone).replace(/\D/g, '').replace(/^86/, '');
        if (!s.blacklist.some((b) => b.phone === e164)) s.blacklist.unshift({ phone: e164, reason, by: u.id, at: new Date().toISOString() });
        return result(s, `lead-${e164}`, s.record(`lead-${e164}`, 'NumberBlacklisted', { phone: e164, reason }, u.id));
      },
      unblacklistNumber: ({ phone, reason }, ctx) => {
        const u = need(ctx, 'ADMIN');
        if (!s.blacklist.some((b) => b.phone === phone)) throw fail('NOT_BLACKLISTED', `号码 ${phone} 不在黑名单上 / not on the blacklist`);
        s.blacklist = s.blacklist.filter((b) => b.phone !== phone);
        return result(s, `lead-${phone}`, s.record(`lead-${phone}`, 'NumberUnblacklisted', { phone, reason }, u.id));
      },
      annotateRecording: ({ recordingId, atSeconds, note, category }, ctx) => {
        const u = need(ctx, 'QA', 'TEAM_LEADER', 'SUPERVISOR', 'ADMIN');
        if (!String(note).trim()) throw fail('NOTE_INVALID', 'A note is 1 to 2000 characters');
        const id = `${recordingId}~${s.annotations.length + 1}`;
        s.annotations.push({ id, recordingId, atSeconds, note: String(note).trim(), category: category ?? null, authorId: u.id, createdAt: new Date().toISOString(), removed: null });
        return result(s, `annotations-${recordingId}`, s.record(`annotations-${recordingId}`, 'RecordingAnnotated', { annotationId: id, atSeconds, note }, u.id));
      },
      removeAnnotation: ({ annotationId, reason }, ctx) => {
        const u = need(ctx, 'QA', 'TEAM_LEADER', 'SUPERVISOR', 'ADMIN');
        const n = s.annotations.find((a) => a.id === annotationId && !a.removed);
        if (!n) throw fail('ANNOTATION_NOT_FOUND', `No annotation ${annotationId}`);
        if (n.authorId !== u.id && !['SUPERVISOR', 'ADMIN'].includes(u.role)) throw fail('NOT_AUTHOR', 'Only its author or a supervisor removes an annotation');
        n.removed = { by: u.id, reason };
        return result(s, `annotations-${n.recordingId}`, s.record(`annotations-${n.recordingId}`, 'RecordingAnnotationRemoved', { annotationId, reason }, u.id));
      },
      scoreCall: ({ callId, items, comment, fatal }, ctx) => {
        const u = need(ctx, 'SUPERVISOR', 'QA', 'ADMIN');
        s.qaScores.push({ callId, items, comment: comment ?? null, fatal: !!fatal, by: u.id });
        return onCall(ctx, callId, 'CallScored', { items, comment, fatal });
      },
      monitorCall: ({ callId, mode }, ctx) => {
        const u = need(ctx, 'SUPERVISOR', 'ADMIN');
        s.interventions.push({ callId, mode, by: u.id });
        return onCall(ctx, callId, 'CallMonitored', { mode, supervisorId: u.id });
      },
      forceHangUp: ({ callId, reason }, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN'), s.endCall(callId), onCall(ctx, callId, 'CallForceHungUp', { reason })),
      forceAgentState: ({ agentId, status, reason }, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN'), s.setAgent(agentId, status, { pauseReason: null }), result(s, `agent-${agentId}`, { position: s.position + 0 * reason.length })),
    },
    Subscription: {
      myCalls: (_a, ctx) => s.pubsub.iterator(`myCalls:${need(ctx).id}`),
      importProgress: (_a, ctx) => (need(ctx, 'ADMIN'), s.pubsub.iterator('importProgress')),
      myCallbacks: (_a, ctx) => (need(ctx), s.pubsub.iterator('myCallbacks')),
      wallboard: (_a, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN', 'AUDITOR'), s.pubsub.iterator('wallboard')),
      agentStates: (_a, ctx) => (need(ctx, 'SUPERVISOR', 'ADMIN', 'AUDITOR'), s.pubsub.iterator('agentStates')),
    },
  };
}

export { CUSTOMER_PHONE };
