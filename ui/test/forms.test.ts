import { describe, expect, it } from 'vitest';
import { CAMPAIGN_FOR_EDIT, emptyCampaign, fromCampaign, toCampaignInput } from '../src/lib/campaignForm.ts';
import { csvHeader, remapHeader } from '../src/lib/csvMapping.ts';
import { parseCriteria } from '../src/lib/qa.ts';
import { searchScript } from '../src/lib/script.ts';
import { schemaErrors } from './schema.ts';

describe('lead import column mapping', () => {
  const file = '\uFEFF客户姓名,手机号码,"备注, 其他",phone\r\n张伟,13800138000,老客户,x\r\n';

  it('reads the header, quotes and BOM included', () => {
    expect(csvHeader(file)).toEqual(['客户姓名', '手机号码', '备注, 其他', 'phone']);
  });

  it('renames only the chosen columns and keeps every data row byte for byte', () => {
    const out = remapHeader(file, { phone: '手机号码', name: '客户姓名' });
    expect(out).toBe('name,phone,"备注, 其他",phone_original\r\n张伟,13800138000,老客户,x\r\n');
  });
});

describe('campaign form', () => {
  it('turns the form into a CampaignInput the schema accepts', () => {
    const r = toCampaignInput({ ...emptyCampaign(), name: '春季保健品', maxAbandonPercent: '2.5', dispositions: '成交，考虑中、无意向' });
    if (!('input' in r)) throw new Error(`rejected ${r.field}`);
    expect(r.input).toMatchObject({ name: '春季保健品', maxAbandonRate: 0.025, dispositions: ['成交', '考虑中', '无意向'], callingWindows: [{ days: [1, 2, 3, 4, 5], start: '09:00', end: '20:00' }] });
    const doc = 'mutation C($input: CampaignInput!) { createCampaign(input: $input) { streamId } }';
    expect(schemaErrors(doc)).toEqual([]);
  });

  it('points at the field that is wrong', () => {
    expect(toCampaignInput({ ...emptyCampaign(), name: ' ' })).toEqual({ field: 'name' });
    expect(toCampaignInput({ ...emptyCampaign(), name: 'x', maxAbandonPercent: '120' })).toEqual({ field: 'maxAbandonPercent' });
    expect(toCampaignInput({ ...emptyCampaign(), name: 'x', start: '21:00', end: '09:00' })).toEqual({ field: 'start' });
    expect(toCampaignInput({ ...emptyCampaign(), name: 'x', days: [] })).toEqual({ field: 'days' });
  });

  it('sends list recycling only when switched on, with the outcomes in a fixed order', () => {
    const off = toCampaignInput({ ...emptyCampaign(), name: 'x' });
    expect('input' in off && off.input.recycle).toBeNull();
    const on = toCampaignInput({ ...emptyCampaign(), name: 'x', recycleOn: true, recycleAfterMinutes: '120', recyclePasses: '3', recycleOutcomes: ['MACHINE', 'NO_ANSWER'] });
    expect('input' in on && on.input.recycle).toEqual({ afterMinutes: 120, maxPasses: 3, dispositions: ['NO_ANSWER', 'MACHINE'] });
  });

  it('points at the recycling field that is out of range (the bounds RECYCLE_RULE_INVALID holds)', () => {
    const on = { ...emptyCampaign(), name: 'x', recycleOn: true };
    expect(toCampaignInput({ ...on, recycleAfterMinutes: '-1' })).toEqual({ field: 'recycleAfterMinutes' });
    expect(toCampaignInput({ ...on, recyclePasses: '21' })).toEqual({ field: 'recyclePasses' });
    expect(toCampaignInput({ ...on, recyclePasses: '0' })).toEqual({ field: 'recyclePasses' });
    expect(toCampaignInput({ ...on, recycleOutcomes: [] })).toEqual({ field: 'recycleOutcomes' });
    // Switched off, leftover bad values are not checked and not sent.
    expect(toCampaignInput({ ...on, recycleOn: false, recyclePasses: '99' })).toMatchObject({ input: { recycle: null } });
  });

  it('fills the form from a campaign so an edit sends back the same rules', () => {
    expect(schemaErrors(CAMPAIGN_FOR_EDIT)).toEqual([]);
    expect(schemaErrors('mutation U($id: ID!, $input: CampaignInput!) { updateCampaign(id: $id, input: $input) { position } }')).toEqual([]);
    const retryRules = { busy: { delayMinutes: 15, maxAttempts: 2 }, noAnswer: { delayMinutes: 30, maxAttempts: null }, machine: null, callback: { delayMinutes: 0, maxAttempts: null } };
    const campaign = { name: '老客户回访', dialMode: 'PROGRESSIVE' as const, maxAbandonRate: 0.025, maxAttempts: 5, retryRules, callerId: '+862160001234', productIds: ['fish-oil'],
      callingWindows: [{ days: [1, 2, 3, 4, 5, 6], start: '10:00', end: '19:30' }], recycle: { afterMinutes: 60, maxPasses: 2, dispositions: ['BUSY' as const] },
      queue: { id: 'q-1' }, questionnaireId: 'health', script: '您好', dispositions: ['成交'] };
    const draft = fromCampaign(campaign);
    expect(draft).toMatchObject({ maxAbandonPercent: '2.5', recycleOn: true, recyclePasses: '2', queueId: 'q-1' });
    const r = toCampaignInput(draft);
    expect('input' in r && r.input).toMatchObject({ dialMode: 'PROGRESSIVE', maxAbandonRate: 0.025, maxAttempts: 5, retryRules,
      callingWindows: campaign.callingWindows, recycle: campaign.recycle, queueId: 'q-1', questionnaireId: 'health', script: '您好', callerId: '+862160001234', productIds: ['fish-oil'] });
    // No recycling on the campaign: the edit leaves it off (null), not a default rule.
    expect(toCampaignInput(fromCampaign({ ...campaign, recycle: null }))).toMatchObject({ input: { recycle: null } });
  });
});

describe('campaign form: retry rules, caller id and products', () => {
  it('sends a rule per outcome: delay and cap, null when retrying after it is off, the campaign max when the cap is empty', () => {
    const d = emptyCampaign();
    d.name = 'x';
    d.retry.busy = { on: true, delayMinutes: '5', maxAttempts: '2' };
    d.retry.machine.on = false;
    const r = toCampaignInput({ ...d, callerId: ' 021 6000 1234 ', productIds: ['calcium'] });
    expect('input' in r && r.input).toMatchObject({
      retryRules: { busy: { delayMinutes: 5, maxAttempts: 2 }, noAnswer: { delayMinutes: 60, maxAttempts: null }, machine: null, callback: { delayMinutes: 0, maxAttempts: null } },
      callerId: '021 6000 1234',
      productIds: ['calcium'],
    });
    expect(toCampaignInput({ ...d, callerId: '' })).toMatchObject({ input: { callerId: null } });
  });

  it('points at the retry rules when a delay is not whole minutes or a cap exceeds the campaign attempts (RETRY_RULE_INVALID bounds)', () => {
    const d = { ...emptyCampaign(), name: 'x' };
    expect(toCampaignInput({ ...d, retry: { ...d.retry, busy: { on: true, delayMinutes: '-1', maxAttempts: '' } } })).toEqual({ field: 'retry' });
    expect(toCampaignInput({ ...d, retry: { ...d.retry, noAnswer: { on: true, delayMinutes: '', maxAttempts: '' } } })).toEqual({ field: 'retry' });
    expect(toCampaignInput({ ...d, retry: { ...d.retry, machine: { on: true, delayMinutes: '60', maxAttempts: '4' } } })).toEqual({ field: 'retry' });
    // Off: leftovers are neither checked nor sent.
    expect(toCampaignInput({ ...d, retry: { ...d.retry, machine: { on: false, delayMinutes: 'x', maxAttempts: '99' } } })).toMatchObject({ input: { retryRules: { machine: null } } });
  });
});

describe('QA criteria and script search', () => {
  it('parses "criterion=points" lines, full-width signs too, and names the bad line', () => {
    expect(parseCriteria('开场白=10\n产品介绍：20\n\n礼貌用语 ＝ 5')).toEqual({ items: { 开场白: 10, 产品介绍: 20, 礼貌用语: 5 } });
    expect(parseCriteria('开场白=10\n态度很好')).toEqual({ badLine: '态度很好' });
  });

  it('finds script paragraphs and FAQ answers containing every searched word', () => {
    const script = '您好，我是健康顾问小王。\n\n问：价格多少？\n答：一盒199元，两盒送保温杯。\n\n问：怎么退货？\n答：七天无理由退货。';
    expect(searchScript(script, '退货')).toEqual(['问：怎么退货？\n答：七天无理由退货。']);
    expect(searchScript(script, '价格 保温杯')).toHaveLength(1);
    expect(searchScript(script, '')).toHaveLength(3);
  });
});
