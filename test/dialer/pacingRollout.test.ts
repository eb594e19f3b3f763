import { describe, expect, it } from 'vitest';
import { decideDials, newDialAnswer, playOut, RolloutRandom, sampleScenarios, type FloorSnapshot, type Scenario } from '../../src/dialer/pacing/rollout.ts';

/** Ring times uniform over 6..10 s for answered dials; unanswered dials end at 25 s. */
function tables() {
  const ansCdf = new Float64Array(52);
  const otherCdf = new Float64Array(52);
  for (let s = 0; s < 52; s++) {
    ansCdf[s] = Math.min(1, Math.max(0, (s - 6) / 4));
    otherCdf[s] = s >= 25 ? 1 : 0;
  }
  return { ansCdf, otherCdf };
}

function snapshot(over: Partial<FloorSnapshot>): FloorSnapshot {
  return { p: 0.25, ...tables(), ringAges: [], waited: [], idle: 0, wrapLeft: [], talkRows: [], ...over };
}

function dials(snap: FloorSnapshot, lambda = 100): number {
  const rng = new RolloutRandom(7);
  const horizon = 27;
  const scenarios = sampleScenarios(snap, 200, horizon, rng);
  const candidate = (s: Scenario, k: number) => {
    while (s.candidate.length <= k) s.candidate.push(newDialAnswer(snap, rng.next(), rng.next()));
    return s.candidate[k];
  };
  return decideDials(scenarios, candidate, lambda, 2, horizon, 40, 'nowOrEither');
}

describe('pacing rollout', () => {
  it('plays answers out first come, first served: an answer with no agent within the connect time is abandoned', () => {
    const agents = new Float64Array([0, 10]);
    // 3 s: the idle agent takes it (3 s idle); 4 s: nobody until 10 s, abandoned; 9 s: the second agent at 10 s.
    expect(playOut(agents, [3, 4], 9, 2, 30)).toEqual({ idle: 3, abandons: 1 });
    expect(playOut(agents, [3, 4], Infinity, 2, 30)).toEqual({ idle: 3 + 20, abandons: 1 });
  });

  it('dials for agents about to leave wrap-up, and not for agents busy past the horizon', () => {
    expect(dials(snapshot({ wrapLeft: [3, 3, 3, 3] }))).toBeGreaterThanOrEqual(4);
    expect(dials(snapshot({ wrapLeft: [60, 60, 60, 60] }))).toBe(0);
  });

  it('dials fewer for the same idle agents when many young dials are already ringing', () => {
    const none = dials(snapshot({ idle: 4 }));
    const young = dials(snapshot({ idle: 4, ringAges: Array.from({ length: 12 }, () => 1) }));
    expect(none).toBeGreaterThanOrEqual(4);
    expect(young).toBeLessThan(none);
  });

  it('a dearer abandon (larger lambda) never means more dials', () => {
    const snap = snapshot({ idle: 3, wrapLeft: [5, 8], ringAges: [1, 2, 3, 4] });
    // Cheap abandons dial for the waiting agents; dear ones dial no more than that.
    expect(dials(snap, 20)).toBeGreaterThan(0);
    expect(dials(snap, 1000)).toBeLessThanOrEqual(dials(snap, 20));
  });
});
