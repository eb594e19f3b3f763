import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { LeadCommand } from './commands.ts';
import { leadDecider } from './decider.ts';
import type { LeadEvent } from './events.ts';

const phone = '+8613800138000';
const now = '2026-03-02T02:00:00.000Z';
const later = '2026-03-05T02:00:00.000Z';
const meta = (extra: Partial<LeadCommand['meta']> = {}) => ({ now, ...extra });
const cmd = <C extends LeadCommand>(type: C['type'], data: C['data'], m: Partial<LeadCommand['meta']> = {}) =>
  ({ type, data, meta: meta(m) }) as C;

const imported: LeadEvent = {
  type: 'LeadImported',
  data: {
    phone,
    at: now,
    rawPhone: '138 0013 8000',
    source: 'file',
    batchId: 'b1',
    row: 2,
    fields: { 城市: '上海' },
    name: '张三',
  },
};
const claimedByA: LeadEvent = {
  type: 'LeadClaimed',
  data: { phone, at: now, agentId: 'a1', privateUntil: '2026-03-03T02:00:00.000Z' },
};

describe('lead: import and duplicates', () => {
  it('imports a lead under its E.164 number, keeping the raw input and the import row', () => {
    given(leadDecider)
      .when(
        cmd('ImportLead', {
          phone: '138 0013 8000',
          name: '张三',
          source: 'file',
          batchId: 'b1',
          row: 2,
          fields: { 城市: '上海' },
        }),
      )
      .then([imported]);
  });

  it('turns a re-import of the same number into a DuplicateMerged fact, not a second lead', () => {
    given(leadDecider, [imported])
      .when(cmd('ImportLead', { phone: '0086 138-0013-8000', source: 'api', fields: { 城市: '北京', 年龄: '40' } }))
      .then([
        {
          type: 'LeadDuplicateMerged',
          data: {
            phone,
            at: now,
            rawPhone: '0086 138-0013-8000',
            source: 'api',
            batchId: undefined,
            row: undefined,
            fields: { 城市: '北京', 年龄: '40' },
          },
        },
      ]);
  });

  it('merging fills gaps without overwriting what is known', () => {
    const merged: LeadEvent = {
      type: 'LeadDuplicateMerged',
      data: { phone, at: now, rawPhone: 'x', source: 'api', fields: { 城市: '北京', 年龄: '40' } },
    };
    const state = [imported, merged].reduce(leadDecider.evolve, leadDecider.initialState());
    expect(state.fields).toEqual({ 城市: '上海', 年龄: '40' });
    expect(state.imports).toBe(2);
  });

  it('rejects an invalid number with the phone reason code and the row, importing nothing', () => {
    given(leadDecider)
      .when(cmd('ImportLead', { phone: '12345', source: 'file', row: 7 }))
      .thenRejects('PHONE_TOO_SHORT', /too few digits/);
  });

  it('rejects an unknown source', () => {
    given(leadDecider)
      .when(cmd('ImportLead', { phone: '13800138000', source: 'fax' as never }))
      .thenRejects('LEAD_SOURCE_INVALID');
  });

  it('refuses a different number on an existing lead stream', () => {
    given(leadDecider, [imported])
      .when(cmd('ImportLead', { phone: '13900139000', source: 'file' }))
      .thenRejects('LEAD_PHONE_MISMATCH');
  });

  it('rejects commands on a lead that was never imported', () => {
    given(leadDecider)
      .when(cmd('ClaimLead', { agentId: 'a1', privateUntil: later }))
      .thenRejects('LEAD_NOT_FOUND');
  });
});

describe('lead: private claims (anti-collision)', () => {
  it('lets an agent claim a public lead until privateUntil', () => {
    given(leadDecider, [imported])
      .when(cmd('ClaimLead', { agentId: 'a1', privateUntil: '2026-03-03T02:00:00.000Z' }))
      .then([claimedByA]);
  });

  it("rejects a second agent's claim while the first holds it, naming holder and expiry", () => {
    given(leadDecider, [imported, claimedByA])
      .when(cmd('ClaimLead', { agentId: 'a2', privateUntil: later }))
      .thenRejects('LEAD_CLAIMED_BY_OTHER', /a1.*2026-03-03T02:00:00.000Z/);
  });

  it('lets another agent claim once the claim has expired', () => {
    given(leadDecider, [imported, claimedByA])
      .when({
        type: 'ClaimLead',
        data: { agentId: 'a2', privateUntil: later },
        meta: { now: '2026-03-04T00:00:00.000Z' },
      })
      .then((events) => expect(events[0]).toMatchObject({ type: 'LeadClaimed', data: { agentId: 'a2' } }));
  });

  it('rejects a claim that ends in the past and a claim on a do-not-call lead', () => {
    given(leadDecider, [imported])
      .when(cmd('ClaimLead', { agentId: 'a1', privateUntil: now }))
      .thenRejects('CLAIM_EXPIRY_INVALID');
    const dnc: LeadEvent = { type: 'LeadDoNotCallAdded', data: { phone, at: now, reason: '客户要求', source: 'call' } };
    given(leadDecider, [imported, dnc])
      .when(cmd('ClaimLead', { agentId: 'a1', privateUntil: later }))
      .thenRejects('LEAD_DO_NOT_CALL');
  });

  it('lets the holder release, but not another agent', () => {
    given(leadDecider, [imported, claimedByA])
      .when(cmd('ReleaseLead', { agentId: 'a1', reason: '无意向' }, { actorId: 'a1', actorRole: 'agent' }))
      .then([{ type: 'LeadReleased', data: { phone, at: now, agentId: 'a1', reason: '无意向', releasedBy: 'a1' } }]);
    given(leadDecider, [imported, claimedByA])
      .when(cmd('ReleaseLead', { agentId: 'a1', reason: 'x' }, { actorId: 'a2', actorRole: 'agent' }))
      .thenRejects('RELEASE_FORBIDDEN');
    given(leadDecider, [imported, claimedByA])
      .when(cmd('ReleaseLead', { agentId: 'a2', reason: 'x' }))
      .thenRejects('LEAD_NOT_HELD');
  });

  it('keeps a rule assignment from taking a lead away from its private holder', () => {
    given(leadDecider, [imported, claimedByA])
      .when(
        cmd('AssignLead', { assignee: { kind: 'agent', id: 'a2' }, by: 'rule', ruleId: 'r1', reason: 'round robin' }),
      )
      .thenRejects('LEAD_CLAIMED_BY_OTHER');
    given(leadDecider, [imported, claimedByA])
      .when(
        cmd(
          'AssignLead',
          { assignee: { kind: 'team', id: 't2' }, by: 'person', reason: '调整' },
          { actorId: 's1', actorRole: 'supervisor' },
        ),
      )
      .then((events) =>
        expect(events[0]).toMatchObject({ type: 'LeadAssigned', data: { assignedBy: 's1', by: 'person' } }),
      );
  });
});

describe('lead: recycling to the public pool', () => {
  it('recycles after the protection expired, recording rule, previous holder and expiry', () => {
    given(leadDecider, [imported, claimedByA])
      .when({ type: 'RecycleLead', data: { rule: '3天未跟进' }, meta: { now: later } })
      .then([
        {
          type: 'LeadRecycled',
          data: {
            phone,
            at: later,
            rule: '3天未跟进',
            previousHolder: 'a1',
            protectionExpiry: '2026-03-03T02:00:00.000Z',
            recycledBy: undefined,
          },
        },
      ]);
  });

  it('refuses while protected unless a supervisor forces it', () => {
    given(leadDecider, [imported, claimedByA])
      .when(cmd('RecycleLead', { rule: 'r', force: true }, { actorRole: 'agent' }))
      .thenRejects('LEAD_PROTECTED');
    given(leadDecider, [imported, claimedByA])
      .when(cmd('RecycleLead', { rule: 'r', force: true }, { actorRole: 'supervisor', actorId: 's1' }))
      .then((events) => expect(events[0].type).toBe('LeadRecycled'));
  });

  it('does nothing for a lead already in the public pool', () => {
    given(leadDecider, [imported])
      .when(cmd('RecycleLead', { rule: 'r' }))
      .thenNothingHappened();
  });
});

describe('lead: evolve', () => {
  it('ignores unknown event types', () => {
    const s = leadDecider.initialState();
    expect(leadDecider.evolve(s, { type: 'LeadTeleported', data: {} } as unknown as LeadEvent)).toBe(s);
  });
});
