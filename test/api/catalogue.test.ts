import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { productDecider } from '../../src/domain/product/decider.ts';
import { questionnaireDecider } from '../../src/domain/questionnaire/decider.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

// What a campaign is set up from: the products query (the catalogue an agent also takes orders from), the
// questionnaires query, and Campaign.products from CampaignInput.productIds.

let h: Harness;
let seq = 0;
const meta = () => ({ now: new Date().toISOString(), commandId: `cat-${++seq}`, actorId: 'admin', actorRole: 'admin' });
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const product = (productId: string, type: string, data: Record<string, unknown>) =>
  handleCommand(h.store, productDecider, productId, { type, data, meta: meta() } as never);
const CREATE = 'mutation($id: ID!, $input: CampaignInput!) { createCampaign(id: $id, input: $input) { position } }';
const UPDATE = 'mutation($id: ID!, $input: CampaignInput!) { updateCampaign(id: $id, input: $input) { position } }';

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_catalogue');
  await product('fish-oil', 'AddProduct', { productId: 'fish-oil', sku: 'FO-1', name: '深海鱼油', priceFen: 29_900, points: 30, category: '保健品' });
  await product('calcium', 'AddProduct', { productId: 'calcium', sku: 'CA-1', name: '钙片', priceFen: 9_900 });
  await product('old-tea', 'AddProduct', { productId: 'old-tea', sku: 'T-1', name: '老茶', priceFen: 5_000 });
  await product('fish-oil', 'ChangeProductPrice', { priceFen: 25_900 });
  await product('old-tea', 'DiscontinueProduct', { reason: '停产' });
  const q = (questionnaireId: string, name: string, text: string) =>
    handleCommand(h.store, questionnaireDecider, questionnaireId, { type: 'DefineQuestionnaire', data: { questionnaireId, name, questions: [{ id: 'q1', text, kind: 'text', required: false }] }, meta: meta() } as never);
  await q('health', '健康需求调查', '您平时吃保健品吗？');
  await q('health', '健康需求调查', '您平时吃哪些保健品？');
  await q('after-sale', '售后回访', '收到货了吗？');
});
afterAll(() => h?.close());

describe('products', () => {
  it('every role reads the catalogue at current prices; discontinued products only when asked', async () => {
    const Q = 'query($all: Boolean) { products(includeDiscontinued: $all) { id sku name price points category discontinued } }';
    const shown = [
      { id: 'fish-oil', sku: 'FO-1', name: '深海鱼油', price: 25_900, points: 30, category: '保健品', discontinued: false },
      { id: 'calcium', sku: 'CA-1', name: '钙片', price: 9_900, points: 0, category: null, discontinued: false },
    ];
    for (const user of ['agent-east', 'sup-east', 'admin', 'auditor']) {
      const r = await h.gql(Q, {}, await h.token(user));
      expect(r.errors).toBeUndefined();
      expect(new Set(r.data.products.map((p: { id: string }) => p.id))).toEqual(new Set(shown.map((p) => p.id)));
    }
    const all = (await h.gql(Q, { all: true }, await h.token('admin'))).data.products;
    expect(all).toEqual(expect.arrayContaining([...shown, { id: 'old-tea', sku: 'T-1', name: '老茶', price: 5_000, points: 0, category: null, discontinued: true }]));
    expect(all).toHaveLength(3);
    expect((await h.gql('{ products { id } }')).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('a campaign offers the products it names, in its order, and an agent reads them for order entry', async () => {
    const sup = await h.token('sup-east');
    const r = await h.gql(CREATE, { id: 'cat-1', input: { name: '鱼油推广', departmentId: 'east', productIds: ['calcium', 'fish-oil', 'calcium'] } }, sup);
    expect(r.errors).toBeUndefined();
    const events = await h.store.readStream('campaign-cat-1');
    expect((events[0].data as { config: { productIds: string[] } }).config.productIds).toEqual(['calcium', 'fish-oil']);
    await rebuild('all', { pool: h.pool, store: h.store });
    const read = await h.gql('{ campaign(id: "cat-1") { productIds products { id name price } } }', {}, await h.token('agent-east'));
    expect(read.errors).toBeUndefined();
    expect(read.data.campaign).toEqual({ productIds: ['calcium', 'fish-oil'], products: [{ id: 'calcium', name: '钙片', price: 9_900 }, { id: 'fish-oil', name: '深海鱼油', price: 25_900 }] });
  });

  it('refuses an unknown or discontinued product (zh + en) and records nothing; an update without productIds keeps them', async () => {
    const sup = await h.token('sup-east');
    const unknown = await h.gql(CREATE, { id: 'cat-bad', input: { name: 'x', departmentId: 'east', productIds: ['nope'] } }, sup);
    expect(code(unknown)).toBe('PRODUCT_NOT_FOUND');
    expect(unknown.errors![0].message).toMatch(/产品不存在.*no such product: nope/);
    expect(code(await h.gql(CREATE, { id: 'cat-bad', input: { name: 'x', departmentId: 'east', productIds: ['old-tea'] } }, sup))).toBe('PRODUCT_DISCONTINUED');
    expect(await h.store.readStream('campaign-cat-bad')).toEqual([]);
    expect((await h.gql(UPDATE, { id: 'cat-1', input: { maxAttempts: 2 } }, sup)).errors).toBeUndefined();
    expect(((await h.store.readStream('campaign-cat-1')).at(-1)!.data as { config: { productIds: string[] } }).config.productIds).toEqual(['calcium', 'fish-oil']);
  });
});

describe('questionnaires', () => {
  it('lists the latest version of each questionnaire by name (pinyin order) for the campaign form', async () => {
    const r = await h.gql('{ questionnaires { id name version questions { text } } }', {}, await h.token('sup-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.questionnaires).toEqual([
      { id: 'health', name: '健康需求调查', version: 2, questions: [{ text: '您平时吃哪些保健品？' }] },
      { id: 'after-sale', name: '售后回访', version: 1, questions: [{ text: '收到货了吗？' }] },
    ]);
  });
});
