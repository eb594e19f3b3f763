import { describe, expect, it } from 'vitest';
import { evolveLeadDoc, type LeadDoc, type LeadsEvent } from '../../src/projections/readModels/leads/evolve.ts';
import { ownershipOf } from '../../src/projections/readModels/leadOwnership/queries.ts';
import { evolveAgent, splitByHour, type AgentSignal, type StateInterval } from '../../src/projections/readModels/floor/agent.ts';
import { evolveCall, type CallDoc, type CallDocEvent } from '../../src/projections/readModels/floor/call.ts';

const phone = '+8613800000001';
const lead = (events: LeadsEvent[]) => events.reduce<LeadDoc | undefined>((doc, e) => evolveLeadDoc(doc, e), undefined)!;

describe('lead ownership read model', () => {
  const imported: LeadsEvent = { type: 'LeadImported', data: { phone, rawPhone: '138 0000 0001', source: 'file', fields: { city: '上海' }, batchId: 'b1', at: '2026-11-20T01:00:00.000Z' } };
  const assigned: LeadsEvent = { type: 'LeadAssigned', data: { phone, assignee: { kind: 'team', id: 't1' }, by: 'rule', ruleId: 'r1', reason: 'round robin', at: '2026-11-20T01:01:00.000Z' } };
  const claimed: LeadsEvent = { type: 'LeadClaimed', data: { phone, agentId: 'a1', privateUntil: '2026-11-23T00:00:00.000Z', at: '2026-11-20T02:00:00.000Z' } };

  it('given imported, assigned and claimed: the holder owns it privately until the claim lapses, then the team', () => {
    const doc = lead([imported, assigned, claimed]);
    expect(ownershipOf(doc, '2026-11-21T00:00:00.000Z')).toMatchObject({ owner: { kind: 'agent', id: 'a1' }, pool: 'private' });
    expect(ownershipOf(doc, '2026-11-23T00:00:00.000Z')).toMatchObject({ owner: { kind: 'team', id: 't1' }, pool: 'assigned', holder: { lapsed: true } });
    expect(doc.ownerHistory.map((h) => [h.change, h.owner])).toEqual([['assigned', 'team:t1'], ['claimed', 'agent:a1']]);
  });

  it('given a claim, when recycled: back in the public pool with the history kept', () => {
    const doc = lead([imported, claimed, { type: 'LeadRecycled', data: { phone, rule: 'no follow-up in 3 days', previousHolder: 'a1', at: '2026-11-21T00:00:00.000Z' } }]);
    expect(ownershipOf(doc, '2026-11-21T00:00:01.000Z')).toMatchObject({ owner: null, pool: 'public' });
    expect(doc.ownerHistory.at(-1)).toMatchObject({ change: 'recycled', reason: 'no follow-up in 3 days' });
  });

  it('status follows dials, dispositions (with corrections) and do-not-call', () => {
    const dial: LeadsEvent = { type: 'CallDialAttempted', data: { callId: 'c1', phone, direction: 'outbound', campaignId: 'k1', attempt: 1, compliance: { allowed: true, reasons: [], inputs: {} as any }, at: '2026-11-20T03:00:00.000Z' } };
    expect(lead([imported]).status).toBe('new');
    expect(lead([imported, dial]).status).toBe('attempted');
    const disposed: LeadsEvent = { type: 'LeadDispositionRecorded', data: { phone, dispositionId: 'd1', code: 'callback', notes: '', callId: 'c1', agentId: 'a1', at: '2026-11-20T03:05:00.000Z' } };
    const corrected: LeadsEvent = { type: 'LeadDispositionCorrected', data: { phone, dispositionId: 'd1', previousCode: 'callback', code: 'sale', reason: 'typo', approvedBy: 's1', approverRole: 'supervisor', at: '2026-11-20T04:00:00.000Z' } };
    const doc = lead([imported, dial, disposed, corrected]);
    expect(doc.status).toBe('sale');
    expect(doc.dispositions[0].history).toEqual(['callback', 'sale']);
    expect(doc.lastCampaignId).toBe('k1');
    expect(lead([imported, dial, disposed, { type: 'LeadDoNotCallAdded', data: { phone, reason: '投诉', source: 'agent', at: '2026-11-20T05:00:00.000Z' } }]).status).toBe('do_not_call');
  });
});

describe('agent state intervals', () => {
  it('splits time in a state across hour buckets', () => {
    expect(splitByHour('2026-11-20T01:50:00.000Z', '2026-11-20T03:10:00.000Z')).toEqual([
      { hour: '2026-11-20T01', ms: 600_000 },
      { hour: '2026-11-20T02', ms: 3_600_000 },
      { hour: '2026-11-20T03', ms: 600_000 },
    ]);
  });

  it('reports each state left: not ready (with reason), ready, talking, wrap-up', () => {
    const signals: [AgentSignal, string][] = [
      [{ type: 'AgentLoggedIn', data: { agentId: 'a1', extension: '8001', at: '' } }, '2026-11-20T01:00:00.000Z'],
      [{ type: 'AgentReady', data: { agentId: 'a1', at: '' } }, '2026-11-20T01:01:00.000Z'],
      [{ type: 'AgentTalking', data: { agentId: 'a1', callId: 'c1', at: '' } }, '2026-11-20T01:02:00.000Z'],
      [{ type: 'AgentCallEnded', data: { agentId: 'a1', callId: 'other', at: '' } }, '2026-11-20T01:03:00.000Z'],
      [{ type: 'AgentCallEnded', data: { agentId: 'a1', callId: 'c1', at: '' } }, '2026-11-20T01:04:00.000Z'],
      [{ type: 'AgentNotReady', data: { agentId: 'a1', reasonCode: 'lunch', at: '' } }, '2026-11-20T01:04:15.000Z'],
    ];
    let doc;
    const left: StateInterval[] = [];
    for (const [s, at] of signals) {
      const r = evolveAgent(doc, s, at);
      doc = r.doc;
      if (r.left) left.push(r.left);
    }
    expect(left.map((i) => [i.state, i.reason, i.from.slice(11, 19), i.to.slice(11, 19)])).toEqual([
      ['not_ready', 'login', '01:00:00', '01:01:00'],
      ['ready', undefined, '01:01:00', '01:02:00'],
      ['talking', undefined, '01:02:00', '01:04:00'],
      ['wrap_up', undefined, '01:04:00', '01:04:15'],
    ]);
    expect(doc).toMatchObject({ state: 'not_ready', reason: 'lunch', since: '2026-11-20T01:04:15.000Z' });
  });
});

describe('call detail record', () => {
  it('given a dialed, answered, bridged, held, recorded call: talk and hold time, recording, disposition', () => {
    const ev = (type: string, data: Record<string, unknown>) => ({ type, data: { callId: 'c1', ...data } }) as unknown as CallDocEvent;
    const steps: [CallDocEvent, string][] = [
      [ev('CallDialAttempted', { phone, direction: 'outbound', campaignId: 'k1', attempt: 1, compliance: {} }), '2026-11-20T01:00:00.000Z'],
      [ev('CallAnswered', { answeredBy: 'human' }), '2026-11-20T01:00:08.000Z'],
      [ev('CallBridged', { agentId: 'a1' }), '2026-11-20T01:00:09.000Z'],
      [ev('CallRecordingStarted', { recordingId: 'r1', file: '/r1.wav' }), '2026-11-20T01:00:09.000Z'],
      [ev('CallHeld', {}), '2026-11-20T01:01:00.000Z'],
      [ev('CallResumed', {}), '2026-11-20T01:01:30.000Z'],
      [ev('CallEnded', { cause: 'NORMAL_CLEARING', hangupBy: 'caller' }), '2026-11-20T01:02:09.000Z'],
      [ev('CallRecordingStopped', { recordingId: 'r1', file: '/r1.wav', sha256: 'x', durationMs: 120000 }), '2026-11-20T01:02:09.000Z'],
      [ev('LeadDispositionRecorded', { phone, dispositionId: 'd1', code: 'sale', notes: '', agentId: 'a1' }), '2026-11-20T01:02:20.000Z'],
    ];
    const doc = steps.reduce<CallDoc | undefined>((d, [e, at]) => evolveCall(d, e, 'c1', at), undefined)!;
    expect(doc).toMatchObject({ agentId: 'a1', campaignId: 'k1', talkMs: 120_000, holdMs: 30_000, cause: 'NORMAL_CLEARING', disposition: { code: 'sale' } });
    expect(doc.recordings).toEqual([{ recordingId: 'r1', file: '/r1.wav', sha256: 'x', durationMs: 120000, startedAt: '2026-11-20T01:00:09.000Z', stoppedAt: '2026-11-20T01:02:09.000Z' }]);
  });
});
