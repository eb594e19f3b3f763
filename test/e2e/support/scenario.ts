import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { PubSub } from './pubsub.ts';

// An in-memory call floor behind the real GraphQL schema, for browser tests of the console alone:
// one agent, two bots, one predictive campaign, one customer. `deliverCall` plays the dialer.

export interface ScenarioUser { id: string; username: string; displayName: string; role: string; department: null; team: null; supervisedDepartments: []; disabled: false }
const user = (id: string, username: string, displayName: string, role: string): ScenarioUser =>
  ({ id, username, displayName, role, department: null, team: null, supervisedDepartments: [], disabled: false });

export const PASSWORD = 'demo1234';
export const CUSTOMER_PHONE = '+8613800138000';

export class Scenario {
  users = [user('u-agent', 'agent1', '王丽', 'AGENT'), user('u-bot1', 'bot1', '机器人一号', 'AGENT'), user('u-bot2', 'bot2', '机器人二号', 'AGENT'),
    user('u-super', 'super1', '陈班长', 'SUPERVISOR'), user('u-audit', 'audit1', '审计员周', 'AUDITOR'), user('u-admin', 'admin1', '管理员孙', 'ADMIN')];
  tokens = new Map<string, ScenarioUser>();
  pubsub = new PubSub();
  position = 100;
  agents = new Map<string, { status: string; pauseReason: string | null; since: string; extension: string | null; callId: string | null }>();
  campaign = { id: 'c-spring', name: '春季保健品', status: 'RUNNING', dialMode: 'PREDICTIVE', maxAbandonRate: 0.03, maxAttempts: 3, retryMinutes: 60, callingWindows: [], timeZone: 'Asia/Shanghai',
    callerId: null, dispositions: ['成交', '考虑中', '无意向'], queue: null, department: null, questionnaireId: null,
    retryRules: { busy: { delayMinutes: 10, maxAttempts: null }, noAnswer: { delayMinutes: 60, maxAttempts: null }, machine: { delayMinutes: 240, maxAttempts: null }, callback: { delayMinutes: 0, maxAttempts: null } } as Record<string, unknown>,
    productIds: ['vc-60'], products: [{ id: 'vc-60', sku: 'VC-60', name: '维生素C', price: 19900, points: 20, category: null, discontinued: false }], script: '您好，我是健康顾问王丽。\n\n问：怎么退货？\n答：七天无理由退货。', position: 1 };
  lead = { id: 'lead-zw', phone: CUSTOMER_PHONE, phoneDisplay: '138 0013 8000', name: '张伟', status: 'IN_PROGRESS', campaign: this.campaign, owner: null as ScenarioUser | null, ownedSince: null,
    ownershipExpiresAt: null, attempts: 1, lastDisposition: null as string | null, lastCalledAt: null, nextCallbackAt: null, customFields: { 城市: '杭州', 会员等级: '金卡' }, department: null, createdAt: '2026-03-01T00:00:00Z', position: 2 };
  questionnaire = { id: 'health', name: '健康需求调查', version: 1, questions: [
    { id: 'age', text: '您的年龄段', kind: 'SINGLE', required: true, choices: [{ id: 'lt40', label: '40岁以下' }, { id: 'ge40', label: '40岁及以上' }] },
    { id: 'interest', text: '感兴趣的产品', kind: 'MULTIPLE', required: false, choices: [{ id: 'oil', label: '鱼油' }, { id: 'ca', label: '钙片' }] },
  ] };
  /** Loyalty points one unit of a product earns, by sku; the customer's balance. */
  productPoints: Record<string, number> = { 'VC-60': 20, 'GIFT-CUP': 5 };
  loyaltyBalance = 1200;
  answers = new Map<string, { questionId: string; value: unknown }[]>();
  extraCampaigns: any[] = [];
  /** A running preview campaign: the agent asks for the next held lead and dials it (`dials`). */
  previewCampaign = { ...this.campaign, id: 'c-revisit', name: '老客户回访', dialMode: 'PREVIEW', script: null, position: 3 };
  /** What nextPreviewLead hands out, in order; asking again passes over the lead shown before. */
  previewLeads = [
    { phone: CUSTOMER_PHONE, reason: 'callback_owner', attempts: 1, lastDialAt: '2026-03-01T02:00:00Z', callbackDueAt: new Date(Date.now() - 60_000).toISOString() },
    { phone: '+8613700137000', reason: 'new', attempts: 0, lastDialAt: null, callbackDueAt: null },
  ];
  dials: { phone: string; leadId: string | null; campaignId: string | null; by: string }[] = [];
  dnc: any[] = [];
  blacklist: { phone: string; reason: string; by: string; at: string }[] = [];
  queues: any[] = [];
  callbacks: any[] = [];
  transfers: any[] = [];
  departments: any[] = [];
  ivrMenus: any[] = [];
  prompts: any[] = [];
  uploads: { path: string; params: Record<string, string>; body: string; rows: string[][] }[] = [];
  calls: any[] = [];
  createdLeads: { phone: string; name: string | null; campaignId: string; customFields: Record<string, string> }[] = [];
  orders: any[] = [];
  events: any[] = [];
  interventions: { callId: string; mode: string; by: string }[] = [];
  qaScores: { callId: string; items: Record<string, number>; comment: string | null; fatal: boolean; by: string }[] = [];
  recordingReads: { path: string; user: string }[] = [];
  recordingSearches: { agentId?: string | null; phone?: string | null }[] = [];
  /** Notes on recordings as the API keeps them: a removal marks the note (with why), it stays here. */
  annotations: { id: string; recordingId: string; atSeconds: number; note: string; category: string | null; authorId: string; createdAt: string; removed: { by: string; reason: string } | null }[] = [];
  counters = { callsToday: 40, connectsToday: 30, abandonedToday: 1, ordersToday: 5, ordersAmountToday: 199000 };

  constructor() {
    const t0 = new Date(Date.now() - 600_000).toISOString();
    this.agents.set('u-agent', { status: 'LOGGED_OUT', pauseReason: null, since: t0, extension: null, callId: null });
    this.agents.set('u-bot1', { status: 'AVAILABLE', pauseReason: null, since: t0, extension: '8101', callId: null });
    this.agents.set('u-bot2', { status: 'PAUSED', pauseReason: 'meal', since: t0, extension: '8102', callId: null });
    this.record('lead-' + this.lead.id, 'LeadImported', { phone: CUSTOMER_PHONE, name: '张伟' }, 'u-admin');
  }

  /** Append a fact to the scenario's log (what the auditor replays). */
  record(streamId: string, type: string, data: unknown, actorId: string) {
    this.position += 1;
    const revision = this.events.filter((e) => e.streamId === streamId).length + 1;
    const e = { id: randomUUID(), streamId, revision, position: this.position, type, data, metadata: { actorId, occurredAt: new Date().toISOString() },
      recordedAt: new Date().toISOString(), prevHash: '0'.repeat(64), hash: randomUUID().replace(/-/g, '') };
    this.events.push(e);
    return e;
  }

  setAgent(id: string, status: string, extra: { pauseReason?: string | null; callId?: string | null; extension?: string } = {}) {
    const a = this.agents.get(id)!;
    Object.assign(a, { status, since: new Date().toISOString(), pauseReason: extra.pauseReason ?? null, callId: extra.callId ?? null }, extra.extension ? { extension: extra.extension } : {});
    const e = this.record(`agent-${id}`, `Agent${status}`, { status }, id);
    this.pubsub.publish('agentStates', { agentStates: { position: e.position, at: a.since, agentId: id, status, pauseReason: a.pauseReason, callId: a.callId, eventType: e.type } });
    this.publishWallboard(e);
  }

  /** The whole board as of now (the wallboard query), and with its cause on every live update. */
  wallboardNow() {
    const list = [...this.agents.values()];
    const count = (...s: string[]) => list.filter((a) => s.includes(a.status)).length;
    return { position: this.position, at: new Date().toISOString(), agentsLoggedIn: list.length - count('LOGGED_OUT'), agentsAvailable: count('AVAILABLE'),
      agentsOnCall: count('ON_CALL', 'ON_HOLD'), agentsPaused: count('PAUSED'), agentsWrapUp: count('WRAP_UP'), callsWaiting: 0, longestWaitSeconds: 0, ...this.counters, cause: null };
  }

  publishWallboard(cause: any) {
    this.pubsub.publish('wallboard', { wallboard: { ...this.wallboardNow(), position: cause.position, at: cause.recordedAt,
      cause: { id: cause.id, streamId: cause.streamId, revision: cause.revision, position: cause.position, type: cause.type } } });
  }

  /** The dialer connects the customer to the agent: offered, then bridged. */
  /** A call bridged to the agent: the known customer by default, or any other number (nobody's lead). */
  deliverCall(agentId = 'u-agent', opts: { phone?: string; display?: string; direction?: 'INBOUND' | 'OUTBOUND'; ringing?: boolean } = {}) {
    const id = `call-${this.calls.length + 1}`;
    const now = new Date().toISOString();
    const phone = opts.phone ?? CUSTOMER_PHONE;
    const lead = phone === CUSTOMER_PHONE ? this.lead : null;
    const direction = opts.direction ?? 'OUTBOUND';
    const call = { id, direction, phone, phoneDisplay: opts.display ?? '138 0013 8000', lead, agent: this.users.find((u) => u.id === agentId), campaign: this.campaign,
      queue: null, startedAt: now, answeredAt: now, endedAt: null as string | null, ringSeconds: 3, talkSeconds: null as number | null, holdSeconds: 0, outcome: 'IN_PROGRESS',
      hangupCause: null, disposition: null as string | null, dispositionNote: null as string | null, recordings: [] as any[], department: null, position: 0 };
    this.calls.unshift(call);
    this.counters.callsToday += 1;
    this.counters.connectsToday += 1;
    // Ringing: offered only, until the agent answers from the console (answerCall).
    for (const type of opts.ringing ? ['CallOffered'] : ['CallOffered', 'CallBridged']) {
      const e = this.record(`call-${id}`, type, { phone, agentId, direction: direction.toLowerCase() }, 'dialer');
      call.position = e.position;
      this.pubsub.publish(`myCalls:${agentId}`, { myCalls: { position: e.position, at: e.recordedAt, callId: id, eventType: type, phone, leadId: lead?.id ?? null, campaignId: this.campaign.id, data: { direction: direction.toLowerCase() } } });
    }
    this.setAgent(agentId, opts.ringing ? 'RINGING' : 'ON_CALL', { callId: id });
    return id;
  }

  /** The agent answered the ringing call: the switch bridges it. */
  answer(agentId: string) {
    const callId = this.agents.get(agentId)!.callId!;
    const e = this.callFact(callId, 'CallBridged', agentId);
    this.setAgent(agentId, 'ON_CALL', { callId });
    return e;
  }

  /** A switch fact about a live call (held, resumed): logged and pushed to the agent's feed, as the switch would confirm it. */
  callFact(callId: string, type: string, agentId: string) {
    const call = this.calls.find((c) => c.id === callId)!;
    const e = this.record(`call-${callId}`, type, {}, 'switch');
    this.pubsub.publish(`myCalls:${agentId}`, { myCalls: { position: e.position, at: e.recordedAt, callId, eventType: type, phone: call.phone, leadId: call.lead?.id ?? null, campaignId: this.campaign.id, data: {} } });
    return e;
  }

  endCall(callId: string, agentId = 'u-agent') {
    const call = this.calls.find((c) => c.id === callId)!;
    call.endedAt = new Date().toISOString();
    call.talkSeconds = Math.max(1, Math.round((Date.parse(call.endedAt) - Date.parse(call.startedAt)) / 1000));
    call.outcome = 'ANSWERED';
    call.recordings = [{ id: `rec-${callId}`, call, startedAt: call.startedAt, durationSeconds: call.talkSeconds, bytes: 1000, sha256: 'ab12cd34ef56aa77bb88cc99', url: `/recordings/rec-${callId}` }];
    const e = this.record(`call-${callId}`, 'CallEnded', { cause: 'NORMAL_CLEARING' }, 'switch');
    this.pubsub.publish(`myCalls:${agentId}`, { myCalls: { position: e.position, at: e.recordedAt, callId, eventType: 'CallEnded', phone: CUSTOMER_PHONE, leadId: this.lead.id, campaignId: this.campaign.id, data: {} } });
    this.setAgent(agentId, 'WRAP_UP');
  }

  /** The import endpoint: counts rows, rejects numbers that are not Chinese mobiles, reports progress. */
  /** Plays the import endpoint: CSV text or an XLSX workbook (read with exceljs, like src/import does). */
  async importFile(params: Record<string, string>, raw: Buffer) {
    const isXlsx = raw[0] === 0x50 && raw[1] === 0x4b;
    let table: string[][];
    if (isXlsx) {
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(raw as any);
      table = [];
      wb.worksheets[0].eachRow((row) => table.push((row.values as unknown[]).slice(1).map((v) => (v == null ? '' : String(v)))));
    } else table = raw.toString('utf8').trim().split(/\r?\n/).map((l) => l.split(','));
    this.uploads.push({ path: '/imports', params, body: isXlsx ? `xlsx:${raw.length}` : raw.toString('utf8'), rows: table });
    const [header, ...rows] = table;
    const col = header.indexOf(params.phoneColumn);
    if (col < 0) throw new Error(`phone column ${params.phoneColumn} not in ${header.join(',')}`);
    const rejected = rows.map((r, i) => ({ row: i + 2, value: r[col] ?? null, reason: '不是有效的手机号码' })).filter((r) => !/^1\d{10}$/.test(r.value ?? ''));
    this.lastImport = { rowsRead: rows.length, imported: rows.length - rejected.length, duplicates: 0, rejected };
    setTimeout(() => this.pubsub.publish('importProgress', { importProgress: { position: ++this.position, at: new Date().toISOString(), importId: 'imp-1', eventType: 'ImportFinished',
      rowsRead: rows.length, imported: rows.length - rejected.length, duplicates: 0, rejected: rejected.length, done: true, data: {} } }), 300);
    return { importId: 'imp-1' };
  }

  lastImport: { rowsRead: number; imported: number; duplicates: number; rejected: { row: number; value: string | null; reason: string }[] } | null = null;

  customer(phone: string) {
    const digits = phone.replace(/\D/g, '').replace(/^86/, '');
    if (`+86${digits}` !== CUSTOMER_PHONE) return { phone: `+86${digits}`, leads: [], calls: () => ({ nodes: [], pageInfo: { hasNextPage: false } }), orders: () => ({ nodes: [], pageInfo: { hasNextPage: false } }), callbacks: [], dnc: null, ownership: [] };
    return {
      phone: CUSTOMER_PHONE, leads: [this.lead], callbacks: [], dnc: null,
      calls: () => ({ nodes: this.calls, pageInfo: { hasNextPage: false, totalCount: this.calls.length } }),
      orders: () => ({ nodes: this.orders, pageInfo: { hasNextPage: false, totalCount: this.orders.length } }),
      ownership: this.lead.owner ? [{ owner: this.lead.owner, from: this.lead.ownedSince, to: null, reason: 'claimed' }] : [],
    };
  }
}
