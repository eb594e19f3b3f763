import { describe, expect, it } from 'vitest';
import { dispatchOrder, type Waiting } from '../../src/acd/index.ts';
import { DEFAULT_QUEUE_CONFIG } from '../../src/domain/queue/decider.ts';
import { routingSettings } from '../../src/inbound/queueConfigs.ts';

const w = (item: string, kind: Waiting<string>['kind'], priority: number, sinceMs: number, callerPriority = 0): Waiting<string> => ({ item, kind, priority, callerPriority, sinceMs });
const order = (waiting: Waiting<string>[]) => dispatchOrder(waiting).map((x) => x.item);

describe('what a ready agent takes first: queue and campaign priority, then kind, then VIP, then wait', () => {
  it("a higher queue's caller goes before a lower queue's who waited longer", () => {
    expect(order([w('general, waited 60 s', 'inbound', 5, 0), w('VIP line, just now', 'inbound', 8, 60_000)])).toEqual(['VIP line, just now', 'general, waited 60 s']);
  });

  it('within one queue priority: VIP callers first, then the longest wait', () => {
    expect(order([w('old', 'inbound', 5, 0), w('vip', 'inbound', 5, 5_000, 10), w('new', 'inbound', 5, 1_000)])).toEqual(['vip', 'old', 'new']);
  });

  it('a campaign of 8 beats a queue of 5; at equal priority the caller on the line goes first', () => {
    expect(order([w('caller', 'inbound', 5, 1_000), w('dialed', 'dialer', 8, 2_000)])).toEqual(['dialed', 'caller']);
    expect(order([w('dialed', 'dialer', 5, 0), w('caller', 'inbound', 5, 1_000)])).toEqual(['caller', 'dialed']);
  });

  it("kept callbacks go last unless their queue's priority is higher than the rest", () => {
    expect(order([w('callback', 'callback', 5, 0), w('dialed', 'dialer', 5, 2_000), w('caller', 'inbound', 5, 1_000)])).toEqual(['caller', 'dialed', 'callback']);
    expect(order([w('dialed', 'dialer', 5, 0), w('callback', 'callback', 7, 9_000), w('caller', 'inbound', 6, 1_000)])).toEqual(['callback', 'caller', 'dialed']);
  });

  it('leaves the list it was given as it was', () => {
    const waiting = [w('a', 'dialer', 5, 0), w('b', 'inbound', 9, 0)];
    dispatchOrder(waiting);
    expect(waiting.map((x) => x.item)).toEqual(['a', 'b']);
  });
});

describe('a queue config as dispatch ranks it', () => {
  it('keeps the priority set; a queue logged without one (old logs) ranks 5', () => {
    expect(routingSettings('vip', { ...DEFAULT_QUEUE_CONFIG, priority: 8 }).priority).toBe(8);
    expect(routingSettings('old', DEFAULT_QUEUE_CONFIG).priority).toBe(5);
  });
});
