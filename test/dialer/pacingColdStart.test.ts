import { describe, expect, it } from 'vitest';
import { createPacer, type Pacer } from '../../src/dialer/pacing/index.ts';

function manualClock() {
  let ms = 0;
  return { now: () => ms, advance: (sec: number) => (ms += sec * 1000) };
}

/** Resolves `dials` dials, one in four answered after 8 s and connected, the rest unanswered at 25 s. */
function observe(pacer: Pacer, clock: ReturnType<typeof manualClock>, dials: number, prefix: string): void {
  for (let i = 0; i < dials; i++) {
    const id = `${prefix}${i}`;
    pacer.onDial(id);
    if (i % 4 === 0) {
      clock.advance(8);
      pacer.onAnswer(id);
      pacer.onConnect(id, 'a0');
      clock.advance(1);
      pacer.onTalkEnd('a0');
      pacer.onAgentReady('a0');
    } else {
      clock.advance(25);
      pacer.onNoAnswer(id, 'no_answer');
    }
  }
}

describe('callstream pacer cold start', () => {
  it('a fresh pacer with N ready agents places at least N dials at once', () => {
    for (const n of [1, 5, 20]) {
      const pacer = createPacer({ mode: 'callstream' }, manualClock());
      for (let i = 0; i < n; i++) pacer.onAgentReady(`a${i}`);
      expect(pacer.dialsToPlace()).toBeGreaterThanOrEqual(n);
    }
  });

  it('with no data it dials only progressively: the dials already ringing cover the ready agents', () => {
    const pacer = createPacer({ mode: 'callstream' }, manualClock());
    for (let i = 0; i < 4; i++) pacer.onAgentReady(`a${i}`);
    expect(pacer.dialsToPlace()).toBe(4);
    for (let i = 0; i < 4; i++) pacer.onDial(`d${i}`);
    expect(pacer.dialsToPlace()).toBe(0);
    pacer.onAnswer('d0');
    // The answered call waits for one of the four agents: three left, three dials still ringing.
    expect(pacer.dialsToPlace()).toBe(0);
  });

  it('ramps up as answer-rate observations arrive, before the full model is warm', () => {
    const clock = manualClock();
    const pacer = createPacer({ mode: 'callstream' }, clock);
    pacer.onAgentReady('a0');
    observe(pacer, clock, 40, 'early');
    for (let i = 1; i <= 10; i++) pacer.onAgentReady(`a${i}`);
    const early = pacer.dialsToPlace();
    observe(pacer, clock, 60, 'late');
    const late = pacer.dialsToPlace();
    // 11 ready agents, answer rate 25 %: more than one dial each, still well under 1 / 0.25 each.
    expect(early).toBeGreaterThan(11);
    expect(late).toBeGreaterThan(early);
    expect(late).toBeLessThan(44);
  });

  it('dials nothing while answered calls already outnumber the ready agents', () => {
    const pacer = createPacer({ mode: 'callstream' }, manualClock());
    pacer.onAgentReady('a1');
    pacer.onDial('d1');
    pacer.onDial('d2');
    pacer.onAnswer('d1');
    pacer.onAnswer('d2');
    expect(pacer.dialsToPlace()).toBe(0);
  });
});
