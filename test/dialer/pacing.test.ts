import { describe, expect, it } from 'vitest';
import { createPacer } from '../../src/dialer/pacing/index.ts';
import { runPacer } from '../../src/dialer/simulation/compare.ts';
import { parseFloor, referenceFloor } from '../../src/dialer/simulation/floor.ts';

function manualClock() {
  let ms = 0;
  return { now: () => ms, advance: (sec: number) => (ms += sec * 1000) };
}

describe('simple pacers', () => {
  it('progressive places one dial per idle agent not already covered by a ringing dial', () => {
    const clock = manualClock();
    const pacer = createPacer({ mode: 'progressive' }, clock);
    for (const a of ['a1', 'a2', 'a3']) pacer.onAgentReady(a);
    pacer.onDial('d1');
    expect(pacer.dialsToPlace()).toBe(2);
    pacer.onAnswer('d1');
    pacer.onConnect('d1', 'a1');
    expect(pacer.dialsToPlace()).toBe(2);
  });

  it('boost factor keeps ratio x idle dials outstanding', () => {
    const pacer = createPacer({ mode: 'boostFactor', ratio: 2.5 }, manualClock());
    pacer.onAgentReady('a1');
    pacer.onAgentReady('a2');
    pacer.onDial('d1');
    expect(pacer.dialsToPlace()).toBe(4);
  });

  it('VICIdial ratio counts talking agents and their lines', () => {
    const pacer = createPacer({ mode: 'vicidialRatio', ratio: 2 }, manualClock());
    pacer.onAgentReady('a1');
    pacer.onAgentReady('a2');
    pacer.onDial('d1');
    pacer.onAnswer('d1');
    pacer.onConnect('d1', 'a1');
    // lines = 2 x (1 ready + 1 talking) = 4, one of them is the talking call.
    expect(pacer.dialsToPlace()).toBe(3);
  });
});

describe('callstream predictive pacer', () => {
  it('never dials with nobody logged in', () => {
    const pacer = createPacer({ mode: 'callstream' }, manualClock());
    expect(pacer.dialsToPlace()).toBe(0);
  });

  it('stays under the abandon target and beats progressive occupancy on a short simulated floor', () => {
    const floor = { ...referenceFloor, shiftHours: 2, shifts: 3 };
    const progressive = runPacer(floor, { mode: 'progressive' });
    const callstream = runPacer(floor, { mode: 'callstream' });
    expect(callstream.abandonRate).toBeLessThanOrEqual(0.03);
    expect(callstream.occupancy).toBeGreaterThan(progressive.occupancy + 0.2);
    expect(progressive.abandonRate).toBe(0);
  });

  it('learns a floor that answers less: dials more per agent, still under the target', () => {
    const floor = { ...referenceFloor, liveAnswerProbability: 0.1, shiftHours: 2, shifts: 2 };
    const callstream = runPacer(floor, { mode: 'callstream' });
    expect(callstream.abandonRate).toBeLessThanOrEqual(0.03);
    expect(callstream.dialsPerAgentHour).toBeGreaterThan(150);
  });
});

describe('floor files', () => {
  it('rejects unknown fields by name', () => {
    expect(() => parseFloor({ ...referenceFloor, colour: 'red' })).toThrow(/colour/);
  });
  it('rejects a machine share that makes answers exceed every dial', () => {
    expect(() => parseFloor({ ...referenceFloor, liveAnswerProbability: 0.6, machine: { probability: 0.5, detectSeconds: 2, falsePositive: 0, falseNegative: 0 } })).toThrow(/exceeds 1/);
  });
  it('accepts the reference floor as written in the shared note', () => {
    expect(parseFloor(JSON.parse(JSON.stringify(referenceFloor))).agents).toBe(20);
  });
});
