import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { rebuild } from '../../src/projections/index.ts';
import { campaignDecider } from '../../src/domain/campaign/decider.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { loyaltyDecider } from '../../src/domain/loyalty/decider.ts';
import { questionnaireDecider } from '../../src/domain/questionnaire/decider.ts';
import { startServer, type Harness } from './harness.ts';

const ALL_DAY = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' };
const PHONE = '+8613800138000';
const QUESTIONS = [
  { id: 'age', text: '您的年龄段', kind: 'single', required: true, choices: [{ id: 'lt40', label: '40岁以下' }, { id: 'ge40', label: '40岁及以上' }] },
  { id: 'interest', text: '感兴趣的产品', kind: 'multiple', required: false, choices: [{ id: 'oil', label: '鱼油' }, { id: 'ca', label: '钙片' }] },
  { id: 'budget', text: '月预算(元)', kind: 'number', required: false },
];
const GET = 'query($c: ID!) { callQuestionnaire(callId: $c) { callId answers { questionId value } answeredAt questionnaire { id name version questions { id text kind required choices { id label } } } } }';
const SUBMIT = 'mutation($c: ID!, $a: [AnswerInput!]!, $id: ID) { submitAnswers(callId: $c, answers: $a, commandId: $id) { streamId repeated events { type } } }';
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

let h: Harness;
let seq = 0;
const meta = () => ({ now: new Date().toISOString(), commandId: `t-${++seq}`, actorId: 'admin', actorRole: 'admin' });
const dialed = (callId: string, agentId: string, campaignId?: string) =>
  h.store.append(`call-${callId}`, [{ type: 'CallDialAttempted', data: { callId, agentId, campaignId, phone: PHONE, direction: 'outbound', attempt: 1, at: new Date().toISOString(), compliance: { allowed: true, reasons: [] } } }]);

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_console');
  await handleCommand(h.store, questionnaireDecider, 'health', { type: 'DefineQuestionnaire', data: { questionnaireId: 'health', name: '健康需求调查', questions: QUESTIONS.slice(0, 2) }, meta: meta() } as never);
  await handleCommand(h.store, questionnaireDecider, 'health', { type: 'DefineQuestionnaire', data: { questionnaireId: 'health', name: '健康需求调查', questions: QUESTIONS }, meta: meta() } as never);
  const campaign = (id: string, config: object) =>
    handleCommand(h.store, campaignDecider, id, { type: 'CreateCampaign', data: { campaignId: id, name: id, departmentId: 'east', config: { mode: 'preview', callingHours: ALL_DAY, ...config } }, meta: meta() } as never);
  await campaign('with-q', { questionnaireId: 'health' });
  await campaign('no-q', {});
  await dialed('q1', 'agent-east', 'with-q');
  await dialed('q2', 'agent-east', 'no-q');
  await dialed('q3', 'agent-west', 'with-q');
});
afterAll(() => h?.close());

describe('questionnaire on the agent console', () => {
  it('shows the latest version of the call’s campaign questionnaire, none for a campaign without one', async () => {
    const agent = await h.token('agent-east');
    const r = await h.gql(GET, { c: 'q1' }, agent);
    expect(r.errors).toBeUndefined();
    expect(r.data.callQuestionnaire).toMatchObject({ callId: 'q1', answers: null, questionnaire: { id: 'health', name: '健康需求调查', version: 2 } });
    expect(r.data.callQuestionnaire.questionnaire.questions.map((q: any) => [q.id, q.kind, q.required])).toEqual([['age', 'SINGLE', true], ['interest', 'MULTIPLE', false], ['budget', 'NUMBER', false]]);
    expect((await h.gql(GET, { c: 'q2' }, agent)).data.callQuestionnaire).toBeNull();
  });

  it('keeps other people’s calls out of reach', async () => {
    expect(code(await h.gql(GET, { c: 'q3' }, await h.token('agent-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(GET, { c: 'q3' }, await h.token('sup-east')))).toBe('FORBIDDEN');
    expect((await h.gql(GET, { c: 'q1' }, await h.token('sup-east'))).data.callQuestionnaire.questionnaire.id).toBe('health');
    expect(code(await h.gql(SUBMIT, { c: 'q3', a: [{ questionId: 'age', value: 'lt40' }] }, await h.token('agent-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(SUBMIT, { c: 'q1', a: [{ questionId: 'age', value: 'lt40' }] }, await h.token('auditor')))).toBe('FORBIDDEN');
  });

  it('refuses answers missing a required question or not fitting it, and records nothing', async () => {
    const agent = await h.token('agent-east');
    const missing = await h.gql(SUBMIT, { c: 'q1', a: [{ questionId: 'interest', value: ['oil'] }] }, agent);
    expect(code(missing)).toBe('REQUIRED_UNANSWERED');
    expect(missing.errors![0].message).toMatch(/必答题未答.*您的年龄段/);
    expect(missing.errors![0].extensions.details).toEqual({ missing: ['age'] });
    expect(code(await h.gql(SUBMIT, { c: 'q1', a: [{ questionId: 'age', value: 'old' }] }, agent))).toBe('ANSWER_INVALID');
    expect(code(await h.gql(SUBMIT, { c: 'q2', a: [{ questionId: 'age', value: 'lt40' }] }, agent))).toBe('NO_QUESTIONNAIRE');
    expect(await h.store.readStream('answers-q1')).toEqual([]);
  });

  it('records the answers once per call with the version answered, and shows them afterwards', async () => {
    const agent = await h.token('agent-east');
    const answers = [{ questionId: 'age', value: 'ge40' }, { questionId: 'interest', value: ['oil', 'ca'] }, { questionId: 'budget', value: 300 }];
    const r = await h.gql(SUBMIT, { c: 'q1', a: answers, id: 'ans-1' }, agent);
    expect(r.errors).toBeUndefined();
    expect(r.data.submitAnswers).toMatchObject({ streamId: 'answers-q1', repeated: false, events: [{ type: 'AnswersRecorded' }] });
    // The same click again (same command id) is a repeat, a new one is refused: once per call.
    expect((await h.gql(SUBMIT, { c: 'q1', a: answers, id: 'ans-1' }, agent)).data.submitAnswers.repeated).toBe(true);
    expect(code(await h.gql(SUBMIT, { c: 'q1', a: answers, id: 'ans-2' }, agent))).toBe('ANSWERS_EXIST');
    const [e] = await h.store.readStream('answers-q1');
    expect(e).toMatchObject({ type: 'AnswersRecorded', data: { callId: 'q1', questionnaireId: 'health', version: 2, agentId: 'agent-east', leadPhone: PHONE, answers }, metadata: { actorId: 'agent-east' } });
    const shown = (await h.gql(GET, { c: 'q1' }, agent)).data.callQuestionnaire;
    expect(shown.answers).toEqual(answers);
    expect(shown.answeredAt).toBeTruthy();
  });
});

describe('loyalty points on orders', () => {
  it('previews the points an order earns from the product catalog, with the customer’s balance', async () => {
    await h.store.append('product-vc', [{ type: 'ProductAdded', data: { productId: 'vc', sku: 'VC-100', name: '维生素C', priceFen: 19900, points: 20, at: new Date().toISOString() } }]);
    await h.store.append('product-oil', [{ type: 'ProductAdded', data: { productId: 'oil', sku: 'OIL-1', name: '鱼油', priceFen: 29900, points: 30, at: new Date().toISOString() } }]);
    await handleCommand(h.store, loyaltyDecider, PHONE, { type: 'AccruePoints', data: { customerPhone: PHONE, points: 500, reason: '开卡' }, meta: meta() } as never);
    await rebuild('all', { pool: h.pool, store: h.store }); // agent-east's calls to PHONE make the customer theirs to see
    const Q = 'query($l: [PointsLineInput!]!, $p: String) { orderPoints(lines: $l, customerPhone: $p) { earned balance } }';
    const r = await h.gql(Q, { l: [{ sku: 'VC-100', quantity: 2 }, { sku: 'OIL-1', quantity: 1 }, { sku: 'UNKNOWN', quantity: 5 }], p: '138 0013 8000' }, await h.token('agent-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.orderPoints).toEqual({ earned: 70, balance: 500 });
    expect(code(await h.gql(Q, { l: [] }, await h.token('auditor')))).toBe('FORBIDDEN');
  });

  it('shows a customer\'s balance only to people who may see that customer, as their leads', async () => {
    const other = '+8613800138111';
    await handleCommand(h.store, loyaltyDecider, other, { type: 'AccruePoints', data: { customerPhone: other, points: 300, reason: '开卡' }, meta: meta() } as never);
    await h.store.append('call-pts-1', [{ type: 'CallDialAttempted', data: { callId: 'pts-1', agentId: 'agent-east', phone: other, direction: 'outbound', attempt: 1, at: new Date().toISOString(), compliance: { allowed: true, reasons: [] } } }]);
    await rebuild('all', { pool: h.pool, store: h.store });
    const Q = 'query($l: [PointsLineInput!]!, $p: String) { orderPoints(lines: $l, customerPhone: $p) { earned balance } }';
    const ask = async (user: string) => (await h.gql(Q, { l: [{ sku: 'VC-100', quantity: 1 }], p: other }, await h.token(user))).data.orderPoints;
    expect(await ask('agent-east')).toEqual({ earned: 20, balance: 300 });
    expect(await ask('sup-east')).toEqual({ earned: 20, balance: 300 });
    // Another department's agent and supervisor still price the order, but see no balance.
    expect(await ask('agent-west')).toEqual({ earned: 20, balance: null });
    expect(await ask('sup-west')).toEqual({ earned: 20, balance: null });
  });

  it('shows on each order the points it earned: as accrued on the account, else what its products earn', async () => {
    const agent = await h.token('agent-east');
    const place = async (sku: string, quantity: number) => {
      const r = await h.gql(`mutation { placeOrder(leadId: "13800138000", lines: [{ sku: "${sku}", name: "x", quantity: ${quantity}, unitPrice: 100 }]) { streamId } }`, {}, agent);
      expect(r.errors).toBeUndefined();
      return r.data.placeOrder.streamId.slice('order-'.length) as string;
    };
    await handleCommand(h.store, leadDecider, PHONE, { type: 'ImportLead', data: { phone: PHONE, source: 'file', departmentId: 'east' }, meta: meta() } as never);
    const plain = await place('VC-100', 3);
    const accrued = await place('OIL-1', 1);
    await handleCommand(h.store, loyaltyDecider, PHONE, { type: 'AccruePoints', data: { customerPhone: PHONE, points: 45, orderId: accrued, reason: '订单积分（活动双倍）' }, meta: meta() } as never);
    await rebuild('all', { pool: h.pool, store: h.store });
    const points = async () => {
      const r = await h.gql('{ orders(first: 10) { nodes { id pointsEarned } } }', {}, agent);
      return Object.fromEntries((r.data?.orders.nodes ?? []).map((o: any) => [o.id, o.pointsEarned]));
    };
    await expect.poll(points, { timeout: 10_000 }).toMatchObject({ [plain]: 60, [accrued]: 45 });
    // The screen pop's order list asks the same field through the customer.
    const pop = await h.gql(`{ customer(phone: "${PHONE}") { orders(first: 5) { nodes { id pointsEarned } } } }`, {}, agent);
    expect(pop.errors).toBeUndefined();
    expect(Object.fromEntries(pop.data.customer.orders.nodes.map((o: any) => [o.id, o.pointsEarned]))).toMatchObject({ [plain]: 60, [accrued]: 45 });
  });
});
