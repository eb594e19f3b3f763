import { describe, expect, it } from 'vitest';
import { evolveAgent, type AgentDoc, type AgentSignal } from '../../src/projections/readModels/floor/agent.ts';

// The call session's agent machine writes its own facts (wrap-up ended, forced states); the wallboard must
// follow them, or an agent back at work shows as stuck in wrap-up: a ghost state.
const fold = (events: AgentSignal[]) => events.reduce<AgentDoc | undefined>((doc, e, i) => evolveAgent(doc, e, `2026-11-23T09:00:${String(i).padStart(2, '0')}.000Z`).doc, undefined)!;
const a = 'agent-1';
const onCall: AgentSignal[] = [
  { type: 'AgentLoggedIn', data: { agentId: a, extension: '1001', at: '' } } as AgentSignal,
  { type: 'AgentReady', data: { agentId: a, at: '' } } as AgentSignal,
  { type: 'AgentTalking', data: { agentId: a, callId: 'c1', at: '' } },
  { type: 'AgentCallEnded', data: { agentId: a, callId: 'c1', at: '' } },
];

describe('wallboard agent state from the call session', () => {
  it('given a call ended, the agent is in wrap-up; when the session ends wrap-up, the agent is ready again', () => {
    expect(fold(onCall).state).toBe('wrap_up');
    const doc = fold([...onCall, { type: 'AgentWrapUpEnded', data: { agentId: a, callId: 'c1' } }]);
    expect(doc).toMatchObject({ state: 'ready', since: '2026-11-23T09:00:04.000Z' });
    expect(doc.callId).toBeUndefined();
  });

  it('follows a supervisor forcing an agent not ready and ready, but never revives a logged-out agent', () => {
    const forced = fold([...onCall, { type: 'AgentForcedNotReady', data: { agentId: a, by: 'sup', reason: 'coaching', reasonCode: 'COACHING' } }]);
    expect(forced).toMatchObject({ state: 'not_ready', reason: 'COACHING' });
    expect(fold([...onCall, { type: 'AgentForcedReady', data: { agentId: a, by: 'sup', reason: 'queue is long' } }]).state).toBe('ready');
    const out = fold([...onCall, { type: 'AgentLoggedOut', data: { agentId: a, reason: 'end of shift', at: '' } } as AgentSignal, { type: 'AgentWrapUpEnded', data: { agentId: a } }]);
    expect(out.state).toBe('logged_out');
  });
});
