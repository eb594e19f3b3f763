import { describe, expect, it } from 'vitest';
import { checkOverflow, nextCall, positionOf, remember, routeCall, serviceLevel, type AgentView, type QueueConfig, type QueueMemory, type QueuedCall } from '../../src/acd/index.ts';

function agent(agentId: string, over: Partial<AgentView> = {}): AgentView {
  return { agentId, available: true, loggedIn: true, skills: { zh: 5 }, idleSince: '2026-11-23T02:00:00Z', callsToday: 10, talkSecondsToday: 1000, ...over };
}
const call: QueuedCall = { callId: 'c1', phone: '+8613800138000', enqueuedAt: '2026-11-23T02:10:00Z', priority: 0 };
const memory: QueueMemory = { lastAgentByPhone: {} };
const queue = (strategy: QueueConfig['strategy'], over: Partial<QueueConfig> = {}): QueueConfig => ({ queueId: 'sales', strategy, ...over });

describe('queue strategies', () => {
  const agents = [
    agent('a', { idleSince: '2026-11-23T02:05:00Z', callsToday: 3, talkSecondsToday: 900 }),
    agent('b', { idleSince: '2026-11-23T01:50:00Z', callsToday: 8, talkSecondsToday: 300 }),
    agent('c', { idleSince: '2026-11-23T02:01:00Z', callsToday: 5, talkSecondsToday: 600 }),
    agent('busy', { available: false, idleSince: '2026-11-23T01:00:00Z', callsToday: 0, talkSecondsToday: 0 }),
  ];

  it('longest idle picks the agent free the longest, and says so', () => {
    const d = routeCall(call, queue('longest_idle'), agents, memory);
    expect(d.winner).toBe('b');
    expect(d.reason).toMatch(/longest/);
    expect(d.candidates.find((c) => c.agentId === 'busy')).toMatchObject({ eligible: false, why: 'NOT_AVAILABLE' });
  });

  it('fewest calls and least talk time balance load among free agents only', () => {
    expect(routeCall(call, queue('fewest_calls'), agents, memory).winner).toBe('a');
    expect(routeCall(call, queue('least_talk_time'), agents, memory).winner).toBe('b');
  });

  it('a floor\'s preference groups come first (people before bots): the strategy picks within the first group with someone free', () => {
    // b idles longest but is a bot (group 1); busy is a person but not free.
    const grouped = agents.map((x) => ({ ...x, group: x.agentId === 'b' ? 1 : 0 }));
    expect(routeCall(call, queue('longest_idle'), grouped, memory)).toMatchObject({ winner: 'c', reason: expect.stringMatching(/^preferred group 0 first; idle since/) });
    expect(routeCall(call, queue('least_talk_time'), grouped, memory).winner).toBe('c');
    expect(routeCall(call, queue('ring_all'), grouped, memory).ring).toEqual(['a', 'c']);
    // Only bots free: a bot takes it.
    const onlyBots = grouped.map((x) => (x.agentId === 'b' ? x : { ...x, available: false }));
    expect(routeCall(call, queue('longest_idle'), onlyBots, memory)).toMatchObject({ winner: 'b', reason: expect.stringMatching(/^idle since/) });
  });

  it('ring all rings every free agent and names no winner until one answers', () => {
    const d = routeCall(call, queue('ring_all'), agents, memory);
    expect(d.ring).toEqual(['a', 'b', 'c']);
    expect(d.winner).toBeUndefined();
  });

  it('round robin walks the agents in turn and wraps around', () => {
    let m = memory;
    const winners: string[] = [];
    for (let i = 0; i < 4; i++) {
      const d = routeCall({ ...call, callId: `c${i}` }, queue('round_robin'), agents, m);
      winners.push(d.winner!);
      m = remember(m, call, d.winner!, 'round_robin');
    }
    expect(winners).toEqual(['a', 'b', 'c', 'a']);
  });

  it('random is replayable from its seed and spreads calls', () => {
    const q = queue('random', { seed: 42 });
    const first = routeCall(call, q, agents, memory).winner;
    expect(routeCall(call, q, agents, memory).winner).toBe(first);
    const seen = new Set<string>();
    for (let i = 0; i < 60; i++) seen.add(routeCall({ ...call, callId: `r${i}` }, q, agents, memory).winner!);
    expect(seen).toEqual(new Set(['a', 'b', 'c']));
  });

  it('sticky sends a caller back to their last agent when free, else falls back', () => {
    const m = remember(memory, call, 'c', 'sticky');
    expect(routeCall(call, queue('sticky'), agents, m)).toMatchObject({ winner: 'c', reason: expect.stringMatching(/last/) });
    const cBusy = agents.map((a) => (a.agentId === 'c' ? { ...a, available: false } : a));
    expect(routeCall(call, queue('sticky'), cBusy, m)).toMatchObject({ winner: 'b', reason: expect.stringMatching(/not free; longest_idle/) });
  });
});

describe('skills, priority, overflow, service level', () => {
  it('only routes to agents with every required skill at the level, and explains the others', () => {
    const agents = [agent('x', { skills: { zh: 9 } }), agent('y', { skills: { zh: 3, en: 8 } }), agent('z', { skills: { zh: 6, en: 4 } })];
    const d = routeCall({ ...call, requiredSkills: { en: 5 } }, queue('longest_idle', { requiredSkills: { zh: 3 } }), agents, memory);
    expect(d.winner).toBe('y');
    expect(d.candidates).toEqual([
      { agentId: 'x', eligible: false, why: 'MISSING_SKILL:en', skillScore: 9 },
      { agentId: 'y', eligible: true, skillScore: 11 },
      { agentId: 'z', eligible: false, why: 'LOW_SKILL:en', skillScore: 6 },
    ]);
  });

  it('prefers the highest skill level when the queue asks for it', () => {
    const agents = [agent('low', { skills: { zh: 4 }, idleSince: '2026-11-23T01:00:00Z' }), agent('high', { skills: { zh: 9 } })];
    expect(routeCall(call, queue('longest_idle', { requiredSkills: { zh: 1 }, preferSkillLevel: true }), agents, memory).winner).toBe('high');
    expect(routeCall(call, queue('longest_idle', { requiredSkills: { zh: 1 } }), agents, memory).winner).toBe('low');
  });

  it('says why nobody was chosen', () => {
    expect(routeCall(call, queue('longest_idle'), [agent('a', { available: false })], memory)).toMatchObject({ ring: [], reason: 'all 1 qualified agents busy' });
    expect(routeCall(call, queue('longest_idle', { requiredSkills: { ja: 1 } }), [agent('a')], memory).reason).toBe('no qualified agent logged in');
  });

  it('serves VIP callers first, then the longest waiting, and announces positions', () => {
    const waiting: QueuedCall[] = [
      { ...call, callId: 'old', enqueuedAt: '2026-11-23T02:00:00Z' },
      { ...call, callId: 'vip', enqueuedAt: '2026-11-23T02:09:00Z', priority: 10 },
      { ...call, callId: 'new', enqueuedAt: '2026-11-23T02:05:00Z' },
    ];
    expect(nextCall(waiting, agent('a'), queue('longest_idle'))?.callId).toBe('vip');
    expect(nextCall(waiting.slice(0, 1).concat(waiting.slice(2)), agent('a'), queue('longest_idle'))?.callId).toBe('old');
    expect(positionOf(waiting, 'new')).toBe(3);
  });

  it('overflows after the wait limit, or at once when nobody qualified is logged in', () => {
    const q = queue('longest_idle', { overflow: { afterSeconds: 120, to: { kind: 'queue', id: 'backup' } } });
    const busy = [agent('a', { available: false })];
    expect(checkOverflow(call, q, busy, '2026-11-23T02:11:00Z')).toEqual({ overflow: false });
    expect(checkOverflow(call, q, busy, '2026-11-23T02:12:00Z')).toMatchObject({ overflow: true, to: { kind: 'queue', id: 'backup' } });
    expect(checkOverflow(call, q, [], '2026-11-23T02:10:01Z')).toMatchObject({ overflow: true, reason: 'no qualified agent logged in' });
  });

  it('computes the service level over answered calls and calls that waited past the threshold', () => {
    const sl = serviceLevel(
      [
        { waitedSeconds: 5, answered: true },
        { waitedSeconds: 30, answered: true },
        { waitedSeconds: 3, answered: false },
        { waitedSeconds: 40, answered: false },
      ],
      20,
    );
    expect(sl).toEqual({ level: 1 / 3, offered: 3, inTime: 1 });
  });
});
