import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { recover } from '../../src/telephony/recovery/reconcile.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

describe('waiting inbound callers across a restart of the session', () => {
  it('keep their queue and priority: the VIP is still routed first, by the queue, with the decision recorded', async () => {
    const [agent] = uniqueAgents('agent');
    const skill = `care-${agent}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], maxWaitSeconds: 600 });
    await registerAgent(floor, agent, [{ skill, level: 5 }]);
    const regular = await callerWaits(floor, { queueId });
    floor.clock.t += 1_000;
    const vip = await callerWaits(floor, { queueId, priority: 10 });
    expect((await floor.events(callStreamId(vip))).find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId, priority: 10 });

    await floor.restartProcess();
    const report = await recover(floor.server);
    expect(report.restoredCalls).toEqual(expect.arrayContaining([regular, vip]));
    expect(floor.server.endpoint(vip)?.options).toMatchObject({ inbound: true, queueId, priority: 10 });
    expect(floor.server.inboundWaiting()).toBeGreaterThanOrEqual(2);

    await readyAgent(floor, agent, '1001');
    await until('the VIP is offered', () => floor.server.endpoint(vip)?.agentId === agent);
    expect(floor.server.endpoint(regular)?.agentId).toBeUndefined();
    expect((await offers(floor, vip))[0].data).toMatchObject({ queueId, winner: agent, priority: 10 });
  });
});
