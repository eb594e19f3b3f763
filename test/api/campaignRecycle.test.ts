import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { rebuild } from '../../src/projections/index.ts';
import { startServer, type Harness } from './harness.ts';

// List recycling over GraphQL: CampaignInput.recycle becomes the campaign's RecycleRule (read back on Campaign),
// a rule out of range is refused with the domain's typed error, and null turns recycling off.

let h: Harness;
let sup: string;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const CREATE = 'mutation($id: ID!, $input: CampaignInput!) { createCampaign(id: $id, input: $input) { position events { type } } }';
const UPDATE = 'mutation($id: ID!, $input: CampaignInput!) { updateCampaign(id: $id, input: $input) { position events { type } } }';
const base = { name: '未接通回收', dialMode: 'PREVIEW', departmentId: 'east' };
/** The campaign as the API reads it, with the read models brought up to the log first. */
async function campaign(fields: string) {
  await rebuild('all', { pool: h.pool, store: h.store });
  return (await h.gql(`{ campaign(id: "rc-1") { ${fields} } }`, {}, sup)).data?.campaign;
}
/** The rule the campaign's last configuration event recorded (the durable fact). */
async function recordedRule(id: string) {
  const events = await h.store.readStream(`campaign-${id}`);
  return (events.at(-1)!.data as { config: { recycle?: unknown } }).config.recycle;
}

beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_recycle');
  sup = await h.token('sup-east');
});
afterAll(() => h?.close());

describe('campaign recycling rule', () => {
  it('records a good rule and shows it on the campaign', async () => {
    const recycle = { afterMinutes: 240, maxPasses: 2, dispositions: ['NO_ANSWER', 'BUSY'] };
    const r = await h.gql(CREATE, { id: 'rc-1', input: { ...base, recycle } }, sup);
    expect(r.errors).toBeUndefined();
    expect(r.data.createCampaign.events).toEqual([{ type: 'CampaignCreated' }]);
    expect(await recordedRule('rc-1')).toEqual({ afterMinutes: 240, maxPasses: 2, dispositions: ['no_answer', 'busy'] });
    expect(await campaign('recycle { afterMinutes maxPasses dispositions }')).toEqual({ recycle });
  });

  it('refuses a rule out of range with RECYCLE_RULE_INVALID and records nothing', async () => {
    for (const recycle of [
      { afterMinutes: -5, maxPasses: 2, dispositions: ['NO_ANSWER'] },
      { afterMinutes: 60, maxPasses: 0, dispositions: ['NO_ANSWER'] },
      { afterMinutes: 60, maxPasses: 21, dispositions: ['NO_ANSWER'] },
      { afterMinutes: 60, maxPasses: 2, dispositions: [] },
    ]) {
      const r = await h.gql(CREATE, { id: 'rc-bad', input: { ...base, recycle } }, sup);
      expect(code(r)).toBe('RECYCLE_RULE_INVALID');
      expect(r.errors![0].extensions.reason).toMatch(/[Rr]ecycl/);
    }
    expect(await h.store.readStream('campaign-rc-bad')).toEqual([]);
    // An outcome that is not a retry outcome cannot even be written.
    const r = await h.gql(CREATE, { id: 'rc-bad', input: { ...base, recycle: { afterMinutes: 60, maxPasses: 2, dispositions: ['SOLD'] } } }, sup);
    expect(r.errors?.[0]?.message).toMatch(/RecycleOutcome/);
  });

  it('an update without recycle keeps the rule; recycle: null turns it off', async () => {
    const keep = await h.gql(UPDATE, { id: 'rc-1', input: { ...base, maxAttempts: 4 } }, sup);
    expect(keep.errors).toBeUndefined();
    expect(await recordedRule('rc-1')).toEqual({ afterMinutes: 240, maxPasses: 2, dispositions: ['no_answer', 'busy'] });
    const bad = await h.gql(UPDATE, { id: 'rc-1', input: { ...base, recycle: { afterMinutes: 1.5, maxPasses: 2, dispositions: ['MACHINE'] } } }, sup);
    expect(bad.errors).toBeDefined(); // Int! refuses 1.5 before the domain sees it
    const off = await h.gql(UPDATE, { id: 'rc-1', input: { ...base, maxAttempts: 4, recycle: null } }, sup);
    expect(off.errors).toBeUndefined();
    expect(await recordedRule('rc-1')).toBeUndefined();
    expect(await campaign('maxAttempts recycle { maxPasses }')).toEqual({ maxAttempts: 4, recycle: null });
  });
});
