import { expect } from 'vitest';
import { DomainError, fold, type Command, type Decider, type DomainEvent } from '../decider.ts';

/**
 * Given / when / then for deciders:
 *   given(leadDecider, [imported]).when(claim).then([claimed])
 *   given(leadDecider, [claimed]).when(otherClaim).thenRejects('LEAD_CLAIMED_BY_OTHER')
 */
export function given<C extends Command, E extends DomainEvent, S>(decider: Decider<C, E, S>, history: E[] = []) {
  return {
    when(command: C) {
      const decision = decider.decide(command, fold(decider, history));
      return {
        then(expected: E[] | ((events: E[]) => void)) {
          if (decision instanceof DomainError) throw new Error(`expected events, got rejection ${decision.message}`);
          if (typeof expected === 'function') expected(decision);
          else expect(decision).toEqual(expected);
          return decision;
        },
        thenNothingHappened() {
          if (decision instanceof DomainError) throw new Error(`expected no events, got rejection ${decision.message}`);
          expect(decision).toEqual([]);
        },
        thenRejects(code: string, reason?: string | RegExp) {
          if (!(decision instanceof DomainError)) throw new Error(`expected rejection ${code}, got ${JSON.stringify(decision)}`);
          expect(decision.code).toBe(code);
          if (reason) expect(decision.reason).toMatch(reason);
          return decision;
        },
      };
    },
  };
}
