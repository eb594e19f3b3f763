import { describe, expect, it } from 'vitest';
import { runPacer } from '../../src/dialer/simulation/compare.ts';
import { referenceFloor } from '../../src/dialer/simulation/floor.ts';
import { OraclePacer, type Oracle } from '../../src/dialer/simulation/oracle.ts';

function manualClock() {
  let ms = 0;
  return { now: () => ms, advance: (sec: number) => (ms += sec * 1000) };
}

/** A pacer warmed on 160 dials (one in four answered after 8 s and talked 60 s, the rest unanswered at 25 s). */
function warmed(oracle: Oracle) {
  const clock = manualClock();
  const pacer = new OraclePacer(clock, oracle);
  pacer.onAgentReady('a0');
  for (let i = 0; i < 160; i++) {
    const id = `w${i}`;
    pacer.onDial(id);
    if (i % 4 === 0) {
      clock.advance(8);
      pacer.onAnswer(id);
      pacer.onConnect(id, 'a0');
      clock.advance(60);
      pacer.onTalkEnd('a0');
      clock.advance(15);
      pacer.onAgentReady('a0');
    } else {
      clock.advance(25);
      pacer.onNoAnswer(id, 'no_answer');
    }
  }
  return { pacer, clock };
}

describe('oracle pacers (simulation only, not realisable)', () => {
  it('told that the ringing dials will all be answered, dials fewer than told none will be', () => {
    const dials = (answering: boolean) => {
      const { pacer } = warmed('answers');
      for (let i = 1; i <= 3; i++) pacer.onAgentReady(`a${i}`);
      for (let i = 0; i < 6; i++) {
        pacer.onDial(`r${i}`);
        if (answering) pacer.tellWillAnswer(`r${i}`);
      }
      return pacer.dialsToPlace();
    };
    expect(dials(true)).toBe(0);
    expect(dials(false)).toBeGreaterThan(3);
  });

  it('told that talking agents are free in a second, dials more than told they talk for ten minutes', () => {
    const dials = (freeInSec: number) => {
      const { pacer, clock } = warmed('agentFree');
      const now = clock.now() / 1000;
      for (let i = 1; i <= 4; i++) {
        pacer.onAgentReady(`a${i}`);
        pacer.onDial(`c${i}`);
        pacer.onAnswer(`c${i}`);
        pacer.onConnect(`c${i}`, `a${i}`);
        pacer.tellFreeAt(`a${i}`, now + freeInSec);
      }
      pacer.onConnect('c0', 'a0');
      pacer.tellFreeAt('a0', now + freeInSec);
      return pacer.dialsToPlace();
    };
    expect(dials(600)).toBe(0);
    expect(dials(1)).toBeGreaterThan(2);
  });

  it('knowing which dials answer lifts occupancy on the reference floor, under the same abandon target', () => {
    const floor = { ...referenceFloor, shiftHours: 2, shifts: 3 };
    const live = runPacer(floor, { mode: 'callstream' });
    const told = runPacer(floor, { mode: 'callstream' }, undefined, 'answers');
    expect(told.abandonRate).toBeLessThanOrEqual(0.035);
    expect(told.occupancy).toBeGreaterThan(live.occupancy + 0.03);
  });
});
