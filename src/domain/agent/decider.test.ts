import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { AgentCommand } from './commands.ts';
import { agentDecider } from './decider.ts';
import type { AgentEvent } from './events.ts';

const at = '2026-03-02T01:00:00.000Z';
const cmd = <C extends AgentCommand>(type: C['type'], data: C['data'], meta: Partial<C['meta']> = {}) =>
  ({ type, data, meta: { now: at, ...meta } }) as C;

const registered: AgentEvent = {
  type: 'AgentRegistered',
  data: {
    agentId: 'a1',
    at,
    name: '王芳',
    teamId: 't1',
    departmentId: 'sales-sh',
    skills: [{ skill: 'mandarin', level: 8 }],
  },
};
const loggedIn: AgentEvent = { type: 'AgentLoggedIn', data: { agentId: 'a1', at, extension: '8001' } };
const ready: AgentEvent = { type: 'AgentReady', data: { agentId: 'a1', at } };

describe('agent', () => {
  it('registers with team, department and skills', () => {
    given(agentDecider)
      .when(
        cmd('RegisterAgent', {
          agentId: 'a1',
          name: '王芳',
          teamId: 't1',
          departmentId: 'sales-sh',
          skills: [{ skill: 'mandarin', level: 8 }],
        }),
      )
      .then([registered]);
  });

  it.each([
    [[{ skill: 'cantonese', level: 11 }], 'Level'],
    [[{ skill: '', level: 3 }], 'name'],
    [
      [
        { skill: 'a', level: 3 },
        { skill: 'a', level: 4 },
      ],
      'twice',
    ],
  ])('rejects bad skills %j', (skills, why) => {
    given(agentDecider, [registered])
      .when(cmd('SetAgentSkills', { skills }))
      .thenRejects('SKILLS_INVALID', new RegExp(why));
  });

  it('cannot go ready when logged out', () => {
    given(agentDecider, [registered]).when(cmd('SetAgentReady', {})).thenRejects('AGENT_LOGGED_OUT');
    given(agentDecider, [registered])
      .when(cmd('SetAgentNotReady', { reasonCode: 'break' }))
      .thenRejects('AGENT_LOGGED_OUT');
  });

  it('logs in not ready, then goes ready, then not ready with a reason code', () => {
    given(agentDecider, [registered])
      .when(cmd('LogInAgent', { extension: '8001' }))
      .then([loggedIn]);
    const state = [registered, loggedIn].reduce(agentDecider.evolve, agentDecider.initialState());
    expect(state).toMatchObject({ presence: 'not_ready', notReadyReason: 'login' });
    given(agentDecider, [registered, loggedIn]).when(cmd('SetAgentReady', {})).then([ready]);
    given(agentDecider, [registered, loggedIn, ready])
      .when(cmd('SetAgentNotReady', { reasonCode: 'lunch' }))
      .then([{ type: 'AgentNotReady', data: { agentId: 'a1', at, reasonCode: 'lunch' } }]);
    given(agentDecider, [registered, loggedIn, ready])
      .when(cmd('SetAgentNotReady', { reasonCode: '' }))
      .thenRejects('REASON_CODE_REQUIRED');
    given(agentDecider, [registered, loggedIn, ready]).when(cmd('SetAgentReady', {})).thenNothingHappened();
  });

  it('refuses a second login at another extension', () => {
    given(agentDecider, [registered, loggedIn])
      .when(cmd('LogInAgent', { extension: '8002' }))
      .thenRejects('AGENT_ALREADY_LOGGED_IN', /8001/);
    given(agentDecider, [registered, loggedIn])
      .when(cmd('LogInAgent', { extension: '8001' }))
      .thenNothingHappened();
  });

  it('logs out with a reason and by whom (a supervisor can force it)', () => {
    given(agentDecider, [registered, loggedIn, ready])
      .when(cmd('LogOutAgent', { reason: 'forced' }, { actorId: 's1' }))
      .then([{ type: 'AgentLoggedOut', data: { agentId: 'a1', at, reason: 'forced', by: 's1' } }]);
    given(agentDecider, [registered]).when(cmd('LogOutAgent', {})).thenNothingHappened();
  });

  it('changes team and department', () => {
    given(agentDecider, [registered])
      .when(cmd('ChangeAgentTeam', { teamId: 't2', departmentId: 'sales-bj' }))
      .then([
        {
          type: 'AgentTeamChanged',
          data: { agentId: 'a1', at, teamId: 't2', departmentId: 'sales-bj', changedBy: undefined },
        },
      ]);
  });

  it('rejects unknown agents and ignores unknown events', () => {
    given(agentDecider)
      .when(cmd('LogInAgent', { extension: '8001' }))
      .thenRejects('AGENT_NOT_FOUND');
    given(agentDecider, [registered])
      .when(cmd('RegisterAgent', { agentId: 'a1', name: 'x', teamId: 't', departmentId: 'd' }))
      .thenRejects('AGENT_EXISTS');
    const s = agentDecider.initialState();
    expect(agentDecider.evolve(s, { type: 'AgentTeleported', data: {} } as unknown as AgentEvent)).toBe(s);
  });
});
