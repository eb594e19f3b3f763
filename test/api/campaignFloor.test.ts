import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

// What a campaign carries to the floor over GraphQL: script, disposition list and caller id are recorded with the
// campaign and read back on Campaign (an agent reads them on the desk), and an update changes only what it names.

let h: Harness;
let sup: string;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const CREATE = 'mutation($id: ID!, $input: CampaignInput!) { createCampaign(id: $id, input: $input) { position } }';
const UPDATE = 'mutation($id: ID!, $input: CampaignInput!) { updateCampaign(id: $id, input: $input) { position } }';
const base = { name: '春季回访', dialMode: 'PREVIEW', departmentId: 'east' };
const FIELDS = 'script dispositions callerId';

/** The campaign as the API reads it for `token`, with the read models brought up to the log first. */
async function campaign(id: string, fields: string, token = sup) {
  await rebuild('all', { pool: h.pool, store: h.store });
  const r = await h.gql(`query($id: ID!) { campaign(id: $id) { ${fields} } }`, { id }, token);
  expect(r.errors).toBeUndefined();
  return r.data?.campaign;
}
/** The configuration the campaign's last event recorded (the durable fact). */
async function recorded(id: string): Promise<Record<string, unknown>> {
  const events = await h.store.readStream(`campaign-${id}`);
  return (events.at(-1)!.data as { config: Record<string, unknown> }).config;
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_campaign_floor');
  sup = await h.token('sup-east');
});
afterAll(() => h?.close());

describe('campaign script, dispositions and caller id', () => {
  it('records what the form sends and reads it back, for the supervisor and for an agent on the floor', async () => {
    const script = '您好，我是华东健康的小王。\n\n今天为您介绍新品。';
    const r = await h.gql(CREATE, { id: 'cf-1', input: { ...base, script, dispositions: [' 成交', '再联系 ', ''], callerId: '021 6000 1234' } }, sup);
    expect(r.errors).toBeUndefined();
    expect(await recorded('cf-1')).toMatchObject({ script, dispositions: ['成交', '再联系'], callerId: '+862160001234' });
    const shown = { script, dispositions: ['成交', '再联系'], callerId: '+862160001234' };
    expect(await campaign('cf-1', FIELDS)).toEqual(shown);
    expect(await campaign('cf-1', FIELDS, await h.token('agent-east'))).toEqual(shown);
  });

  it('a campaign created without them offers the default dispositions, no script and no caller id', async () => {
    expect((await h.gql(CREATE, { id: 'cf-2', input: base }, sup)).errors).toBeUndefined();
    expect(await campaign('cf-2', FIELDS)).toEqual({ script: null, dispositions: ['成交', '考虑中', '无意向', '预约回访', '空号'], callerId: null });
  });

  it('refuses a caller id that is no number and an empty disposition list, in Chinese and English, recording nothing', async () => {
    const bad = await h.gql(CREATE, { id: 'cf-bad', input: { ...base, callerId: 'abc' } }, sup);
    expect(code(bad)).toBe('CALLER_ID_INVALID');
    expect(bad.errors![0].message).toMatch(/主叫号码.*Caller id/);
    expect(code(await h.gql(CREATE, { id: 'cf-bad', input: { ...base, dispositions: [' '] } }, sup))).toBe('DISPOSITIONS_INVALID');
    expect(await h.store.readStream('campaign-cf-bad')).toEqual([]);
  });

  it('null or blank clears the script and the caller id', async () => {
    expect((await h.gql(UPDATE, { id: 'cf-1', input: { ...base, script: ' ', callerId: null } }, sup)).errors).toBeUndefined();
    expect(await campaign('cf-1', FIELDS)).toEqual({ script: null, dispositions: ['成交', '再联系'], callerId: null });
  });
});

describe('updateCampaign changes only what it names', () => {
  const ALL = 'dialMode maxAbandonRate maxAttempts retryMinutes callingWindows { days start end } timeZone script dispositions callerId questionnaireId queue { id } recycle { maxPasses }';

  it('an update naming one field keeps every other field as it was (no schema defaults)', async () => {
    const input = { ...base, dialMode: 'PREDICTIVE', maxAbandonRate: 0.02, maxAttempts: 5, retryMinutes: 15, timeZone: 'Asia/Urumqi',
      callingWindows: [{ days: [1, 2, 3], start: '10:00', end: '18:00' }], script: '话术', dispositions: ['成交'], callerId: '+862160001234',
      questionnaireId: 'q-health', recycle: { afterMinutes: 60, maxPasses: 2, dispositions: ['BUSY'] } };
    expect((await h.gql(CREATE, { id: 'cf-up', input }, sup)).errors).toBeUndefined();
    const before = await campaign('cf-up', ALL);
    const r = await h.gql(UPDATE, { id: 'cf-up', input: { maxAttempts: 6 } }, sup);
    expect(r.errors).toBeUndefined();
    expect(await campaign('cf-up', ALL)).toEqual({ ...before, maxAttempts: 6 });
    expect(before).toMatchObject({ dialMode: 'PREDICTIVE', maxAbandonRate: 0.02, retryMinutes: 15, timeZone: 'Asia/Urumqi', callingWindows: input.callingWindows });
  });

  it('a time zone alone keeps the calling windows', async () => {
    expect((await h.gql(UPDATE, { id: 'cf-up', input: { timeZone: 'Asia/Shanghai' } }, sup)).errors).toBeUndefined();
    expect(await campaign('cf-up', 'timeZone callingWindows { days start end }')).toEqual({ timeZone: 'Asia/Shanghai', callingWindows: [{ days: [1, 2, 3], start: '10:00', end: '18:00' }] });
  });

  it('create without a name is refused', async () => {
    expect(code(await h.gql(CREATE, { id: 'cf-noname', input: { departmentId: 'east' } }, sup))).toBe('CAMPAIGN_NAME_REQUIRED');
  });
});

describe('per-outcome retry rules', () => {
  const RULES = 'retryRules { busy { delayMinutes maxAttempts } noAnswer { delayMinutes maxAttempts } machine { delayMinutes maxAttempts } callback { delayMinutes maxAttempts } }';

  it('a new campaign shows the default rule for each outcome', async () => {
    expect(await campaign('cf-2', RULES)).toEqual({ retryRules: { busy: { delayMinutes: 10, maxAttempts: null }, noAnswer: { delayMinutes: 60, maxAttempts: null }, machine: { delayMinutes: 240, maxAttempts: null }, callback: { delayMinutes: 0, maxAttempts: null } } });
  });

  it('records a delay and attempt cap per outcome; an outcome left out keeps its rule, null stops retries after it', async () => {
    const r = await h.gql(UPDATE, { id: 'cf-2', input: { retryRules: { busy: { delayMinutes: 5, maxAttempts: 2 }, machine: null } } }, sup);
    expect(r.errors).toBeUndefined();
    expect((await recorded('cf-2')).retryRules).toEqual({ busy: { delayMinutes: 5, maxAttempts: 2 }, no_answer: { delayMinutes: 60 }, callback: { delayMinutes: 0 } });
    expect(await campaign('cf-2', RULES)).toEqual({ retryRules: { busy: { delayMinutes: 5, maxAttempts: 2 }, noAnswer: { delayMinutes: 60, maxAttempts: null }, machine: null, callback: { delayMinutes: 0, maxAttempts: null } } });
  });

  it('refuses a cap above the campaign attempts or a negative delay with RETRY_RULE_INVALID', async () => {
    expect(code(await h.gql(UPDATE, { id: 'cf-2', input: { retryRules: { noAnswer: { delayMinutes: 30, maxAttempts: 9 } } } }, sup))).toBe('RETRY_RULE_INVALID');
    expect(code(await h.gql(UPDATE, { id: 'cf-2', input: { retryRules: { callback: { delayMinutes: -1 } } } }, sup))).toBe('RETRY_RULE_INVALID');
    expect((await recorded('cf-2')).retryRules).toMatchObject({ busy: { delayMinutes: 5, maxAttempts: 2 } });
  });

  it('retryMinutes still sets the busy and no-answer delay, keeping their caps', async () => {
    expect((await h.gql(UPDATE, { id: 'cf-2', input: { retryMinutes: 20 } }, sup)).errors).toBeUndefined();
    expect((await recorded('cf-2')).retryRules).toEqual({ busy: { delayMinutes: 20, maxAttempts: 2 }, no_answer: { delayMinutes: 20 }, callback: { delayMinutes: 0 } });
  });
});
