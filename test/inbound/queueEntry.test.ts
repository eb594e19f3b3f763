import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { enterQueue } from '../../src/inbound/queueInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

/** A caller rings and the IVR (here: the test) answers the channel before the queue knows the call. */
async function answeredByIvr(from: string): Promise<string> {
  const id = floor.sim.inboundCall(from, '+862180000001');
  await until('parked', () => floor.facts.some((f) => f.kind === 'parked' && 'callId' in f && f.callId === id));
  await floor.esl.execute(id, 'answer', '', false);
  await until('answered on the switch', () => floor.facts.some((f) => f.kind === 'answered' && 'callId' in f && f.callId === id));
  return id;
}

async function readyAgent(extension: string): Promise<string> {
  const agentId = `a-${randomUUID()}`;
  floor.sim.switch.agents.set(extension, { answerMs: 200 });
  expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension })).toBeUndefined();
  expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
  return agentId;
}

describe('a caller the IVR already answered enters the queue', () => {
  it('records CallAnswered once, then CallQueued with the queue, and reaches an agent', async () => {
    const id = await answeredByIvr('13800138010');
    await floor.server.enqueue(() => enterQueue(floor.server, id, { queueId: 'q-sales', alreadyAnswered: true }));
    expect(floor.server.endpoint(id)?.status).toBe('queued');
    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type)).toEqual(['CallAnswered', 'CallQueued', 'CallRoutingDeferred']);
    expect(events[1].data).toMatchObject({ queueId: 'q-sales' });
    await readyAgent('1001');
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    expect((await floor.types(callStreamId(id))).filter((t) => t === 'CallAnswered')).toHaveLength(1);
  });

  it('does not record a second CallAnswered when the IVR already recorded one', async () => {
    const id = await answeredByIvr('13800138011');
    await floor.server.recorder.call(id, { type: 'ANSWERED', answeredBy: 'human' });
    await floor.server.enqueue(() => enterQueue(floor.server, id, { queueId: 'q-sales', alreadyAnswered: true }));
    expect((await floor.types(callStreamId(id))).slice(0, 2)).toEqual(['CallAnswered', 'CallQueued']);
  });
});

describe('a caller who is gone', () => {
  it('is refused with the reason, and the session keeps nothing of them', async () => {
    const id = await answeredByIvr('13800138012');
    floor.sim.remoteHangup(id);
    await until('gone from the switch', () => !floor.sim.switch.channels.has(id));
    await floor.server.recorder.call(id, { type: 'HANGUP', cause: 'NORMAL_CLEARING', hangupBy: 'caller' });
    await expect(floor.server.enqueue(() => enterQueue(floor.server, id, { queueId: 'q-sales', alreadyAnswered: true }))).rejects.toMatchObject({ code: 'CALL_ENDED' });
    const never = `never-${randomUUID()}`;
    await expect(floor.server.enqueue(() => enterQueue(floor.server, never, { queueId: 'q-sales' }))).rejects.toMatchObject({ code: 'CALL_NOT_LIVE' });
    expect(floor.server.endpoint(id)).toBeUndefined();
    expect(floor.server.endpoint(never)).toBeUndefined();
  });
});

describe('priority', () => {
  it('offers a VIP caller before callers who waited longer, then the oldest first', async () => {
    const first = await answeredByIvr('13800138020');
    await floor.server.enqueue(() => enterQueue(floor.server, first, { queueId: 'q-sales', alreadyAnswered: true }));
    floor.clock.t += 1_000;
    const second = await answeredByIvr('13800138021');
    await floor.server.enqueue(() => enterQueue(floor.server, second, { queueId: 'q-sales', alreadyAnswered: true }));
    floor.clock.t += 1_000;
    const vip = await answeredByIvr('13900000001');
    await floor.server.enqueue(() => enterQueue(floor.server, vip, { queueId: 'q-sales', alreadyAnswered: true, priority: 10 }));

    const a1 = await readyAgent('1001');
    expect(floor.server.endpoint(vip)?.agentId).toBe(a1);
    expect(floor.server.endpoint(first)?.agentId).toBeUndefined();
    const a2 = await readyAgent('1002');
    expect(floor.server.endpoint(first)?.agentId).toBe(a2);
    expect(floor.server.endpoint(second)?.agentId).toBeUndefined();
  });
});
