import { describe, expect, it } from 'vitest';
import { DEFAULT_QUEUE_CONFIG } from '../../src/domain/queue/decider.ts';
import { routingSettings } from '../../src/inbound/queueConfigs.ts';

describe('a stored queue config in the router\'s terms', () => {
  it('skills-based routing is longest idle among the highest skill levels, with the minimum levels required', () => {
    const s = routingSettings('q-1', { ...DEFAULT_QUEUE_CONFIG, strategy: 'skills', skills: [{ skill: 'mandarin', minLevel: 5 }, { skill: 'billing', minLevel: 2 }] });
    expect(s.routing).toMatchObject({ queueId: 'q-1', strategy: 'longest_idle', preferSkillLevel: true, requiredSkills: { mandarin: 5, billing: 2 } });
  });

  it('keeps the overflow, the maximum wait and the service level', () => {
    const s = routingSettings('q-1', { ...DEFAULT_QUEUE_CONFIG, strategy: 'round_robin', maxWaitSeconds: 120, overflow: { afterSeconds: 45, target: { kind: 'callback', id: 'q-2' } } });
    expect(s).toMatchObject({ maxWaitSeconds: 120, known: true });
    expect(s.routing).toMatchObject({ strategy: 'round_robin', overflow: { afterSeconds: 45, to: { kind: 'callback', id: 'q-2' } }, serviceLevel: { answerWithinSeconds: 20, target: 0.8 } });
    expect(s.routing.preferSkillLevel).toBeUndefined();
  });
});
