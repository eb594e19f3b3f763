import { describe, expect, it } from 'vitest';
import { createActor, transition } from 'xstate';
import { DomainError } from '../decider.ts';
import { agentMachine, agentStatus, type AgentMachineEvent } from './agentMachine.ts';
import { decideAgent, replayAgent, type AgentStateEvent } from './agentEvents.ts';

const at = '2026-11-23T02:00:00.000Z';

/** Drive the pure decider through a list of machine events, collecting the domain events it records. */
function run(events: AgentMachineEvent[], history: AgentStateEvent[] = []): AgentStateEvent[] {
  const all = [...history];
  for (const ev of events) {
    const d = decideAgent(replayAgent('a1', all), ev, at);
    if (d instanceof DomainError) throw d;
    all.push(...d);
  }
  return all;
}

const loggedInReady: AgentMachineEvent[] = [{ type: 'LOGIN', extension: '1001' }, { type: 'READY' }];
const onCall: AgentMachineEvent[] = [
  ...loggedInReady,
  { type: 'OFFER', callId: 'c1' },
  { type: 'AGENT_RINGING', callId: 'c1' },
  { type: 'CONNECTED', callId: 'c1' },
];

describe('agent machine', () => {
  it('logs in not ready, then goes ready and back to not ready with a reason', () => {
    const events = run([{ type: 'LOGIN', extension: '1001' }]);
    expect(agentStatus(replayAgent('a1', events))).toBe('not-ready');
    const more = run([{ type: 'READY' }, { type: 'NOT_READY', reasonCode: 'lunch' }], events);
    const snap = replayAgent('a1', more);
    expect(agentStatus(snap)).toBe('not-ready');
    expect(snap.context.reasonCode).toBe('lunch');
    expect(more.map((e) => e.type)).toEqual(['AgentLoggedIn', 'AgentReady', 'AgentNotReady']);
  });

  it('takes a call through reserved, ringing, on call, held, wrap-up and back to ready', () => {
    const events = run([...onCall, { type: 'HOLD' }]);
    expect(agentStatus(replayAgent('a1', events))).toBe('held');
    const ended = run([{ type: 'UNHOLD' }, { type: 'CALL_ENDED', callId: 'c1', cause: 'NORMAL_CLEARING' }], events);
    const wrap = replayAgent('a1', ended);
    expect(agentStatus(wrap)).toBe('wrap-up');
    expect(wrap.context.callId).toBe('c1');
    const done = run([{ type: 'WRAP_UP_DONE', callId: 'c1' }], ended);
    expect(agentStatus(replayAgent('a1', done))).toBe('ready');
    expect(done.slice(2).map((e) => e.type)).toEqual([
      'AgentReserved', 'AgentRinging', 'AgentCallConnected', 'AgentCallHeld', 'AgentCallResumed', 'AgentCallEnded', 'AgentWrapUpEnded',
    ]);
  });

  it('refuses illegal transitions with a clear error and records nothing', () => {
    const loggedOut = replayAgent('a1', []);
    expect(loggedOut.can({ type: 'READY' })).toBe(false);
    const refused = decideAgent(loggedOut, { type: 'READY' }, at);
    expect(refused).toBeInstanceOf(DomainError);
    expect((refused as DomainError).code).toBe('AGENT_TRANSITION_REFUSED');
    expect((refused as DomainError).reason).toMatch(/logged-out/);

    const notReady = replayAgent('a1', run([{ type: 'LOGIN', extension: '1001' }]));
    expect(notReady.can({ type: 'OFFER', callId: 'c1' })).toBe(false); // no calls while not ready
    expect(notReady.can({ type: 'LOGIN', extension: '1002' })).toBe(false);
    const talking = replayAgent('a1', run(onCall));
    expect(talking.can({ type: 'READY' })).toBe(false); // cannot go ready mid-call
    expect(talking.can({ type: 'OFFER', callId: 'c2' })).toBe(false); // no second call
    expect(talking.can({ type: 'CALL_ENDED', callId: 'other', cause: 'NORMAL_CLEARING' })).toBe(false); // another call's hangup
  });

  it('returns to ready when the reservation expires or the customer hangs up before the agent answers', () => {
    const reserved = run([...loggedInReady, { type: 'OFFER', callId: 'c1' }]);
    expect(agentStatus(replayAgent('a1', run([{ type: 'RESERVATION_EXPIRED', callId: 'c1' }], reserved)))).toBe('ready');
    const ringing = run([{ type: 'AGENT_RINGING', callId: 'c1' }], reserved);
    const gone = replayAgent('a1', run([{ type: 'CALL_ENDED', callId: 'c1', cause: 'ORIGINATOR_CANCEL' }], ringing));
    expect(agentStatus(gone)).toBe('ready');
    expect(gone.context.callId).toBeUndefined();
  });

  it('a stale wrap-up timer from an earlier call does not end the current wrap-up', () => {
    const first = run([...onCall, { type: 'CALL_ENDED', callId: 'c1', cause: 'NORMAL_CLEARING' }, { type: 'READY' }]);
    const second = run([{ type: 'OFFER', callId: 'c2' }, { type: 'CONNECTED', callId: 'c2' }, { type: 'CALL_ENDED', callId: 'c2', cause: 'NORMAL_CLEARING' }], first);
    const snap = replayAgent('a1', second);
    expect(snap.can({ type: 'WRAP_UP_DONE', callId: 'c1' })).toBe(false);
    expect(snap.can({ type: 'WRAP_UP_DONE', callId: 'c2' })).toBe(true);
  });

  it('logout mid-call records the call as ended for the agent, then the logout', () => {
    const events = run([...onCall, { type: 'LOGOUT', reason: 'shift over' }]);
    expect(events.slice(-2)).toEqual([
      { type: 'AgentCallEnded', data: { agentId: 'a1', at, callId: 'c1', cause: 'AGENT_LOGGED_OUT' } },
      { type: 'AgentLoggedOut', data: { agentId: 'a1', at, reason: 'shift over' } },
    ]);
    const snap = replayAgent('a1', events);
    expect(agentStatus(snap)).toBe('logged-out');
    expect(snap.context.callId).toBeUndefined();
  });

  it('logout from every logged-in state ends in logged-out', () => {
    const paths: AgentMachineEvent[][] = [
      [{ type: 'LOGIN', extension: '1' }],
      loggedInReady,
      [...loggedInReady, { type: 'OFFER', callId: 'c1' }],
      [...loggedInReady, { type: 'OFFER', callId: 'c1' }, { type: 'AGENT_RINGING', callId: 'c1' }],
      onCall,
      [...onCall, { type: 'HOLD' }],
      [...onCall, { type: 'CALL_ENDED', callId: 'c1', cause: 'NORMAL_CLEARING' }],
    ];
    for (const p of paths) {
      const snap = replayAgent('a1', run([...p, { type: 'LOGOUT', reason: 'bye' }]));
      expect(agentStatus(snap)).toBe('logged-out');
    }
  });

  it('supervisor forces ready, not ready and logout, recording who and why', () => {
    const nr = run([{ type: 'LOGIN', extension: '1001' }, { type: 'FORCE_READY', by: 'sup1', reason: 'queue is long' }]);
    expect(nr.at(-1)).toEqual({ type: 'AgentForcedReady', data: { agentId: 'a1', at, by: 'sup1', reason: 'queue is long' } });
    expect(agentStatus(replayAgent('a1', nr))).toBe('ready');
    const fnr = run([{ type: 'FORCE_NOT_READY', by: 'sup1', reasonCode: 'coaching', reason: '辅导' }], nr);
    const s = replayAgent('a1', fnr);
    expect(agentStatus(s)).toBe('not-ready');
    expect(s.context).toMatchObject({ reasonCode: 'coaching', forcedBy: 'sup1' });
    const out = run([...onCall, { type: 'FORCE_LOGOUT', by: 'sup2', reason: 'left desk' }]);
    expect(out.slice(-2).map((e) => e.type)).toEqual(['AgentCallEnded', 'AgentLoggedOut']);
    expect(out.at(-1)!.data).toMatchObject({ by: 'sup2', reason: 'left desk' });
    expect(agentStatus(replayAgent('a1', out))).toBe('logged-out');
  });

  it('replay of the stored events gives the same state as the live actor', () => {
    const script: AgentMachineEvent[] = [...onCall, { type: 'HOLD' }, { type: 'UNHOLD' }, { type: 'CALL_ENDED', callId: 'c1', cause: 'NORMAL_CLEARING' }];
    const actor = createActor(agentMachine, { input: { agentId: 'a1' } }).start();
    for (const ev of script) actor.send(ev);
    const replayed = replayAgent('a1', run(script));
    expect(replayed.value).toEqual(actor.getSnapshot().value);
    expect(replayed.context).toEqual(actor.getSnapshot().context);
    // A persisted snapshot restores into a live actor at the same place.
    const restored = createActor(agentMachine, { snapshot: actor.getPersistedSnapshot(), input: { agentId: 'a1' } }).start();
    expect(agentStatus(restored.getSnapshot())).toBe('wrap-up');
    expect(transition(agentMachine, restored.getSnapshot(), { type: 'WRAP_UP_DONE' })[0].value).toEqual({ loggedIn: 'ready' });
  });
});
