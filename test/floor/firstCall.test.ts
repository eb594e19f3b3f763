import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedEvent } from '../../src/eventstore/types.ts';
import { startTestSystem, type TestSystem } from '../support/system.ts';

// A person who goes ready on the demo floor (bots already working beside them, real time) must get a
// dialer call soon: the whole-system browser journey waited 112 s, then 67 s, for the first one.
describe('a newly ready agent on the live floor', () => {
  let sys: TestSystem;
  beforeAll(async () => {
    sys = await startTestSystem('first_call', { bots: 8, leads: 400 });
  }, 120_000);
  afterAll(async () => {
    await sys?.stop();
  });

  it('gets its first bridged dialer call within 30 s while the bots keep working', async () => {
    const floor = sys.system.floor!;
    const human = floor.logins.find((l) => l.username === 'agent')!.userId;
    const store = sys.store;
    // Let the bots settle into work first: the human joins a floor in full swing, as in the browser journey.
    await expect
      .poll(async () => (await store.readAll({ maxCount: 100_000, filter: { eventTypes: ['CallBridged'] } })).length, {
        timeout: 60_000,
        interval: 500,
      })
      .toBeGreaterThan(2);
    expect(await floor.media.agentCommand(human, { type: 'LOGIN', extension: '1001' })).toBeUndefined();
    const after = await store.headPosition();
    const readyAt = Date.now();
    expect(await floor.media.agentCommand(human, { type: 'READY' })).toBeUndefined();
    let bridgedAt: number | undefined;
    const seen: RecordedEvent[] = [];
    const sub = store.subscribe(
      (events) => {
        for (const e of events) {
          seen.push(e);
          if (e.type === 'CallBridged' && e.data.agentId === human) bridgedAt ??= Date.now();
        }
      },
      { after, filter: { eventTypes: ['CallDialAttempted', 'CallAnswered', 'CallBridged', 'CallAbandoned'] } },
    );
    try {
      await expect.poll(() => bridgedAt, { timeout: 45_000, interval: 100 }).toBeDefined();
    } finally {
      await sub.stop();
      const count = (t: string) => seen.filter((e) => e.type === t).length;
      console.log(
        `first call to the new agent after ${bridgedAt ? bridgedAt - readyAt : 'none'} ms; meanwhile dials ${count('CallDialAttempted')}, answers ${count('CallAnswered')}, bridged ${count('CallBridged')}, abandoned ${count('CallAbandoned')}`,
      );
    }
    expect(bridgedAt! - readyAt).toBeLessThan(30_000);
  }, 180_000);
});
