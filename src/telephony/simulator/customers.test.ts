import { describe, expect, it } from 'vitest';
import { CustomerModel, type DialOutcome } from './customers.ts';

const answers: DialOutcome = { kind: 'answer', ringMs: 1_000, talkMs: 60_000, machine: false, earlyMedia: false };
const busy: DialOutcome = { kind: 'fail', afterMs: 500, cause: 'USER_BUSY', sipStatus: 486 };

describe('simulated parties by number', () => {
  it('a pattern gives every matching number its behaviour; a number scripted on its own goes first, the latest pattern before older ones', () => {
    const model = new CustomerModel({ answerProbability: 0 });
    model.scriptPattern(/^862166/, answers);
    model.scriptPattern(/^8621660000\d\d$/, busy);
    model.script('862166123456', busy);
    expect(model.outcome('862166777777')).toEqual(answers);
    expect(model.outcome('862166000042')).toEqual(busy);
    expect(model.outcome('862166123456')).toEqual(busy);
    // Anything else comes from the traffic model (here: nobody answers).
    expect(model.outcome('8613800138000').kind).not.toBe('answer');
  });
});
