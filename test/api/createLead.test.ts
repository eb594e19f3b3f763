import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { leadStreamId } from '../../src/domain/lead/streams.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
beforeAll(async () => {
  h = await startServer({}, 'api_create_lead');
  for (const [id, dept, sup] of [['camp-e', 'east', 'sup-east'], ['camp-w', 'west', 'sup-west']]) {
    const r = await h.gql(`mutation { createCampaign(id: "${id}", input: { name: "${id}", dialMode: PREVIEW, departmentId: "${dept}" }) { position } }`, {}, await h.token(sup));
    expect(r.errors).toBeUndefined();
  }
});
afterAll(async () => {
  await h?.close();
});

const CREATE = 'mutation($phone: String!, $name: String, $c: ID!, $f: JSON, $cmd: ID) { createLead(phone: $phone, name: $name, campaignId: $c, customFields: $f, commandId: $cmd) { streamId repeated events { type } } }';
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

describe('createLead', () => {
  it('lets an agent add a customer to a campaign of their department, normalized, on the campaign\'s manual list', async () => {
    const agent = await h.token('agent-east');
    const r = await h.gql(CREATE, { phone: '138 0013 8000', name: '陌生来电', c: 'camp-e', f: { city: '上海', age: 42 }, cmd: 'add-1' }, agent);
    expect(r.errors).toBeUndefined();
    expect(r.data.createLead).toMatchObject({ repeated: false, events: [{ type: 'LeadImported' }] });
    const [imported] = await h.store.readStream(leadStreamId('+8613800138000'));
    expect(imported.data).toMatchObject({ phone: '+8613800138000', source: 'api', batchId: 'manual-camp-e', fields: { city: '上海', age: '42' } });
    expect(imported.metadata).toMatchObject({ actorId: 'agent-east' });
    const campaign = await h.store.readStream('campaign-camp-e');
    expect(campaign.filter((e) => e.type === 'CampaignListAttached').map((e) => (e.data as any).listId)).toEqual(['manual-camp-e']);
    // The same command again writes nothing new; a second customer reuses the list.
    expect((await h.gql(CREATE, { phone: '13800138000', c: 'camp-e', cmd: 'add-1' }, agent)).data.createLead.repeated).toBe(true);
    expect((await h.gql(CREATE, { phone: '13900139000', c: 'camp-e' }, agent)).errors).toBeUndefined();
    expect((await h.store.readStream('campaign-camp-e')).filter((e) => e.type === 'CampaignListAttached')).toHaveLength(1);
  });

  it('merges a number already known instead of making a second lead', async () => {
    const r = await h.gql(CREATE, { phone: '+86 138-0013-8000', c: 'camp-e', f: { note: '又打来了' } }, await h.token('agent-east-2'));
    expect(r.data.createLead.events).toEqual([{ type: 'LeadDuplicateMerged' }]);
  });

  it('answers a bad number with a typed error and its reason, writing nothing', async () => {
    const r = await h.gql(CREATE, { phone: '12345', c: 'camp-e' }, await h.token('agent-east'));
    expect(code(r)).toMatch(/PHONE/);
    expect(r.errors![0].extensions.reason).toBeTruthy();
    expect(code(await h.gql(CREATE, { phone: '13700137000', c: 'camp-e', f: { nested: { a: 1 } } }, await h.token('agent-east')))).toBe('BAD_USER_INPUT');
    expect(await h.store.readStream(leadStreamId('+8613700137000'))).toEqual([]);
  });

  it('keeps agents to their department\'s campaigns; auditors and anonymous callers add nothing', async () => {
    expect(code(await h.gql(CREATE, { phone: '13600136000', c: 'camp-w' }, await h.token('agent-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql(CREATE, { phone: '13600136000', c: 'camp-e' }, await h.token('agent-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(CREATE, { phone: '13600136000', c: 'camp-e' }, await h.token('auditor')))).toBe('FORBIDDEN');
    expect(code(await h.gql(CREATE, { phone: '13600136000', c: 'camp-e' }))).toBe('UNAUTHENTICATED');
    expect(code(await h.gql(CREATE, { phone: '13600136000', c: 'nope' }, await h.token('agent-east')))).toBe('NOT_FOUND');
    expect(await h.store.readStream(leadStreamId('+8613600136000'))).toEqual([]);
    expect((await h.gql(CREATE, { phone: '13600136000', c: 'camp-w' }, await h.token('agent-west'))).errors).toBeUndefined();
  });
});
