import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { DomainError } from '../decider.ts';
import { callMachine, callStatus, type CallMachineEvent } from './callMachine.ts';
import { decideCall, replayCall, type CallStateEvent } from './callEvents.ts';

const at = '2026-11-23T02:00:00.000Z';

function run(events: CallMachineEvent[], history: CallStateEvent[] = []): CallStateEvent[] {
  const all = [...history];
  for (const ev of events) {
    const d = decideCall(replayCall('c1', all), ev, at);
    if (d instanceof DomainError) throw d;
    all.push(...d);
  }
  return all;
}

const humanQueued: CallMachineEvent[] = [{ type: 'RINGING' }, { type: 'ANSWERED', answeredBy: 'human' }, { type: 'QUEUE', queueId: 'q1' }];

describe('call machine', () => {
  it('dials, rings, is answered by a human, queues, bridges, holds, resumes and ends with a cause', () => {
    const events = run([
      ...humanQueued,
      { type: 'BRIDGED', agentId: 'a1' },
      { type: 'HOLD' },
      { type: 'UNHOLD' },
      { type: 'HANGUP', cause: 'NORMAL_CLEARING', hangupBy: 'callee' },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'CallRinging', 'CallAnswered', 'CallQueued', 'CallBridged', 'CallHeld', 'CallResumed', 'CallEnded',
    ]);
    expect(events[2].data).toMatchObject({ queueId: 'q1', connectRuleMs: 2000 });
    const snap = replayCall('c1', events);
    expect(callStatus(snap)).toBe('ended');
    expect(snap.context).toMatchObject({ agentId: 'a1', answeredBy: 'human', cause: 'NORMAL_CLEARING', hangupBy: 'callee', abandoned: false });
  });

  it('early media then answer; unanswered calls end from any pre-answer state', () => {
    expect(callStatus(replayCall('c1', run([{ type: 'EARLY_MEDIA' }, { type: 'ANSWERED', answeredBy: 'human' }])))).toBe('answered');
    for (const pre of [[], [{ type: 'RINGING' }], [{ type: 'EARLY_MEDIA' }]] as CallMachineEvent[][]) {
      const snap = replayCall('c1', run([...pre, { type: 'HANGUP', cause: 'NO_ANSWER' }]));
      expect(callStatus(snap)).toBe('ended');
      expect(snap.context.cause).toBe('NO_ANSWER');
    }
  });

  it('an answering machine is never queued for an agent', () => {
    const snap = replayCall('c1', run([{ type: 'ANSWERED', answeredBy: 'machine' }]));
    expect(snap.can({ type: 'QUEUE' })).toBe(false);
    const refused = decideCall(snap, { type: 'QUEUE' }, at);
    expect((refused as DomainError).code).toBe('CALL_TRANSITION_REFUSED');
    expect(snap.can({ type: 'HANGUP', cause: 'NORMAL_CLEARING' })).toBe(true);
  });

  it('is abandoned when no agent comes within the connect rule, and can no longer be bridged', () => {
    const events = run([...humanQueued, { type: 'ABANDON', reason: 'NO_AGENT_WITHIN_CONNECT_RULE' }]);
    const snap = replayCall('c1', events);
    expect(callStatus(snap)).toBe('abandoned');
    expect(snap.context.abandoned).toBe(true);
    expect(snap.can({ type: 'BRIDGED', agentId: 'a1' })).toBe(false);
    const ended = replayCall('c1', run([{ type: 'HANGUP', cause: 'NORMAL_CLEARING', hangupBy: 'system' }], events));
    expect(callStatus(ended)).toBe('ended');
    expect(ended.context.abandoned).toBe(true);
  });

  it('a caller hanging up in the queue counts as abandoned; a bridged call cannot be abandoned', () => {
    expect(replayCall('c1', run([...humanQueued, { type: 'HANGUP', cause: 'ORIGINATOR_CANCEL', hangupBy: 'caller' }])).context.abandoned).toBe(true);
    const bridged = replayCall('c1', run([...humanQueued, { type: 'BRIDGED', agentId: 'a1' }]));
    expect(bridged.can({ type: 'ABANDON', reason: 'x' })).toBe(false);
  });

  it('refuses illegal transitions', () => {
    const dialing = replayCall('c1', []);
    expect(dialing.can({ type: 'BRIDGED', agentId: 'a1' })).toBe(false);
    expect(dialing.can({ type: 'HOLD' })).toBe(false);
    expect(dialing.can({ type: 'ABANDON', reason: 'x' })).toBe(false);
    const ended = replayCall('c1', run([{ type: 'HANGUP', cause: 'USER_BUSY' }]));
    expect(ended.can({ type: 'ANSWERED', answeredBy: 'human' })).toBe(false);
    expect(ended.can({ type: 'HANGUP', cause: 'NORMAL_CLEARING' })).toBe(false);
  });

  it('transfers to another agent or back to a queue, counting transfers', () => {
    const events = run([
      ...humanQueued,
      { type: 'BRIDGED', agentId: 'a1' },
      { type: 'TRANSFERRED', to: { kind: 'agent', id: 'a2' } },
      { type: 'BRIDGED', agentId: 'a2' },
      { type: 'HOLD' },
      { type: 'TRANSFERRED', to: { kind: 'queue', id: 'q2' } },
      { type: 'QUEUE', queueId: 'q2' },
    ]);
    expect(events.find((e) => e.type === 'CallTransferred')!.data).toMatchObject({ fromAgentId: 'a1', to: { kind: 'agent', id: 'a2' }, mode: 'blind' });
    const snap = replayCall('c1', events);
    expect(callStatus(snap)).toBe('queued');
    expect(snap.context).toMatchObject({ transfers: 2, queueId: 'q2', agentId: 'a2' });
  });

  it('replay of stored events equals the live actor', () => {
    const script: CallMachineEvent[] = [...humanQueued, { type: 'BRIDGED', agentId: 'a1' }, { type: 'HOLD' }];
    const actor = createActor(callMachine, { input: { callId: 'c1' } }).start();
    for (const ev of script) actor.send(ev);
    const replayed = replayCall('c1', run(script));
    expect(replayed.value).toEqual(actor.getSnapshot().value);
    expect(replayed.context).toEqual(actor.getSnapshot().context);
  });
});
