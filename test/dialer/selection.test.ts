import { describe, expect, it } from 'vitest';
import { emptyTally, nextAssignee, recordAssignment, selectLead, type LeadView, type SelectionPolicy } from '../../src/dialer/selection/index.ts';

const policy: SelectionPolicy = {
  maxAttempts: 3,
  retryRules: { busy: { delayMinutes: 10 }, no_answer: { delayMinutes: 60 }, machine: { delayMinutes: 120, maxAttempts: 2 }, callback: { delayMinutes: 0 } },
  callbackOwnerGraceMinutes: 15,
  recycle: { afterMinutes: 24 * 60, maxPasses: 1, dispositions: ['no_answer', 'busy'] },
};
const NOW = '2026-11-23T03:00:00.000Z';
const minutesAgo = (m: number) => new Date(Date.parse(NOW) - m * 60_000).toISOString();
let n = 0;
function lead(over: Partial<LeadView> = {}): LeadView {
  n++;
  return { phone: `+86138000000${String(n).padStart(2, '0')}`, listId: 'L1', order: n, status: 'open', attempts: 0, passes: 0, ...over };
}
const alice = { agentId: 'alice', teamId: 'red' };
const bob = { agentId: 'bob', teamId: 'red' };
const none = new Set<string>();

describe('lead selection', () => {
  it('takes new leads in list order', () => {
    const a = lead({ order: 2 });
    const b = lead({ order: 1 });
    expect(selectLead([a, b], policy, NOW, alice, none)).toEqual({ lead: b, reason: 'new' });
  });

  it("serves the agent's own due callback before anything else", () => {
    const fresh = lead();
    const cb = lead({ attempts: 1, lastDialAt: minutesAgo(90), lastDisposition: 'callback', callback: { dueAt: minutesAgo(1), owner: 'alice', visibility: 'private' } });
    expect(selectLead([fresh, cb], policy, NOW, alice, none)?.reason).toBe('callback_owner');
  });

  it('keeps a private callback for its owner only, and a public one for its owner during the grace period', () => {
    const priv = lead({ callback: { dueAt: minutesAgo(60), owner: 'alice', visibility: 'private' } });
    const pub = lead({ callback: { dueAt: minutesAgo(5), owner: 'alice', visibility: 'public' } });
    expect(selectLead([priv, pub], policy, NOW, bob, none)).toBeUndefined();
    const later = new Date(Date.parse(NOW) + 11 * 60_000).toISOString();
    expect(selectLead([priv, pub], policy, later, bob, none)).toEqual({ lead: pub, reason: 'callback_public' });
  });

  it('does not offer a callback before it is due', () => {
    const cb = lead({ callback: { dueAt: minutesAgo(-30), owner: 'alice', visibility: 'public' } });
    expect(selectLead([cb], policy, NOW, alice, none)).toBeUndefined();
  });

  it('retries per disposition after its delay, and due retries go before new leads', () => {
    const busySoon = lead({ attempts: 1, lastDialAt: minutesAgo(5), lastDisposition: 'busy' });
    const busyDue = lead({ attempts: 1, lastDialAt: minutesAgo(11), lastDisposition: 'busy' });
    const noAnswerNotDue = lead({ attempts: 1, lastDialAt: minutesAgo(30), lastDisposition: 'no_answer' });
    const fresh = lead();
    expect(selectLead([busySoon, noAnswerNotDue, fresh, busyDue], policy, NOW, alice, none)).toEqual({ lead: busyDue, reason: 'retry_due' });
    expect(selectLead([busySoon, noAnswerNotDue, fresh], policy, NOW, alice, none)?.lead).toBe(fresh);
  });

  it('stops at the maximum attempts, with a lower cap per disposition', () => {
    const maxed = lead({ attempts: 3, lastDialAt: minutesAgo(600), lastDisposition: 'busy' });
    const machineTwice = lead({ attempts: 2, lastDialAt: minutesAgo(600), lastDisposition: 'machine' });
    expect(selectLead([maxed, machineTwice], policy, NOW, alice, none)).toBeUndefined();
  });

  it('recycles a list after its pause, once', () => {
    const tired = lead({ attempts: 3, lastDialAt: minutesAgo(25 * 60), lastDisposition: 'no_answer' });
    expect(selectLead([tired], policy, NOW, alice, none)).toEqual({ lead: tired, reason: 'recycled', recycle: true });
    expect(selectLead([{ ...tired, passes: 1 }], policy, NOW, alice, none)).toBeUndefined();
    expect(selectLead([{ ...tired, lastDisposition: 'other' }], policy, NOW, alice, none)).toBeUndefined();
  });

  it('never dials a number that is already being dialed', () => {
    const a = lead();
    expect(selectLead([a], policy, NOW, alice, new Set([a.phone]))).toBeUndefined();
  });

  it('gives private (claimed) leads only to their owner, and never to the predictive campaign pool', () => {
    const claimed = lead({ owner: 'alice', privateUntil: minutesAgo(-60) });
    expect(selectLead([claimed], policy, NOW, bob, none)).toBeUndefined();
    expect(selectLead([claimed], policy, NOW, undefined, none)).toBeUndefined();
    expect(selectLead([claimed], policy, NOW, alice, none)?.lead).toBe(claimed);
    const expired = { ...claimed, privateUntil: minutesAgo(1) };
    expect(selectLead([expired], policy, NOW, bob, none)?.lead).toBe(expired);
  });

  it("prefers leads assigned to the agent, then to the agent's team, and leaves others' leads alone", () => {
    const forBob = lead({ assignee: { kind: 'agent', id: 'bob' } });
    const forRed = lead({ assignee: { kind: 'team', id: 'red' } });
    const forBlue = lead({ assignee: { kind: 'team', id: 'blue' } });
    const open = lead();
    expect(selectLead([open, forBlue, forRed, forBob], policy, NOW, bob, none)?.reason).toBe('assigned_agent');
    expect(selectLead([open, forBlue, forRed, forBob], policy, NOW, alice, none)?.reason).toBe('assigned_team');
    expect(selectLead([forBlue, forBob], policy, NOW, alice, none)).toBeUndefined();
  });
});

describe('fair automatic assignment', () => {
  it('shares leads across teams by size and evenly within a team', () => {
    const agents = [
      { agentId: 'a1', teamId: 'red' },
      { agentId: 'a2', teamId: 'red' },
      { agentId: 'b1', teamId: 'blue' },
      { agentId: 'b2', teamId: 'blue' },
      { agentId: 'b3', teamId: 'blue' },
    ];
    const tally = emptyTally();
    for (let i = 0; i < 50; i++) recordAssignment(tally, nextAssignee(agents, tally)!);
    expect(tally.byTeam.get('red')).toBe(20);
    expect(tally.byTeam.get('blue')).toBe(30);
    for (const a of agents) expect(tally.byAgent.get(a.agentId)).toBe(10);
  });

  it('gives nobody a lead when nobody is there', () => {
    expect(nextAssignee([], emptyTally())).toBeUndefined();
  });
});
