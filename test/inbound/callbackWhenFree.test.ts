import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { agentLegId } from '../../src/telephony/session/callEndpoint.ts';
import { callerWaits, createQueue, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

const created = (legId: string) => floor.facts.findIndex((f) => f.kind === 'channel-created' && f.callId === legId);

describe('callback when an agent is free', () => {
  it('keeps the caller number, says goodbye and hangs up, with no abandon', async () => {
    const [unskilled, skilled] = uniqueAgents('unskilled', 'skilled');
    const skill = `billing-${skilled}`;
    // The callback target names the queue whose agents call back.
    const callbackQueue = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 20, target: { kind: 'callback', id: callbackQueue } } });
    await registerAgent(floor, unskilled, []);
    await registerAgent(floor, skilled, [{ skill, level: 3 }]);
    expect(await floor.server.agentCommand(skilled, { type: 'LOGIN', extension: '1002' })).toBeUndefined(); // busy elsewhere: logged in, not ready
    await readyAgent(floor, unskilled, '1001');

    const id = await callerWaits(floor, { queueId }, '13800138077');
    await floor.advance(20_000);
    await until('goodbye and hangup', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    const events = await floor.events(callStreamId(id));
    expect(events.map((e) => e.type).filter((t) => t !== 'CallRoutingDeferred')).toEqual(['CallReceived', 'CallAnswered', 'CallQueued', 'CallOverflowed', 'CallbackQueued', 'CallEnded']);
    expect(events.find((e) => e.type === 'CallOverflowed')?.data).toMatchObject({ from: queueId, to: { kind: 'callback', id: callbackQueue }, waitedMs: 20_000 });
    expect(events.find((e) => e.type === 'CallbackQueued')?.data).toMatchObject({ phone: '+8613800138077', queueId: callbackQueue });
    expect(events.at(-1)?.data).toMatchObject({ hangupBy: 'system' });
    expect(floor.facts.some((f) => f.kind === 'playback-started' && f.callId === id)).toBe(true);
  });

  it('the kept callback goes to the first free agent of its queue, whose phone rings before the customer is dialed', async () => {
    const [unskilled, skilled] = uniqueAgents('unskilled', 'skilled');
    const skill = `billing-${skilled}`;
    const callbackQueue = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 20, target: { kind: 'callback', id: callbackQueue } } });
    await registerAgent(floor, unskilled, []);
    await registerAgent(floor, skilled, [{ skill, level: 3 }]);
    floor.sim.switch.agents.set('1002', { answerMs: 200 });
    expect(await floor.server.agentCommand(skilled, { type: 'LOGIN', extension: '1002' })).toBeUndefined();
    await readyAgent(floor, unskilled, '1001');
    floor.sim.switch.customers.script('8613800138078', { kind: 'answer', ringMs: 200, talkMs: 60_000, machine: false, earlyMedia: false });

    const id = await callerWaits(floor, { queueId }, '13800138078');
    await floor.advance(20_000);
    await until('caller gone', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    // Kept callbacks are folded from the log: ones other tests left on the shared log are there too.
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).toContain(id);
    // An agent without the queue's skill stays free: the callback waits for a qualified one.
    await floor.server.idle();
    expect((await floor.types(callStreamId(id))).includes('CallbackStarted')).toBe(false);

    expect(await floor.server.agentCommand(skilled, { type: 'READY' })).toBeUndefined();
    const started = await until('callback started', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackStarted'));
    const callbackId = started.data.callbackCallId as string;
    expect(started.data).toMatchObject({ phone: '+8613800138078', queueId: callbackQueue, agentId: skilled });
    await until('agent and customer bridged', () => floor.server.endpoint(callbackId)?.status === 'bridged');
    expect(created(agentLegId(callbackId, skilled))).toBeLessThan(created(callbackId));
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).not.toContain(id);
  });

  it('a kept callback survives a restart of the session', async () => {
    const [skilled] = uniqueAgents('skilled');
    const skill = `billing-${skilled}`;
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 20, target: { kind: 'callback', id: `q-${skilled}` } } });
    await registerAgent(floor, skilled, [{ skill, level: 3 }]);
    const id = await callerWaits(floor, { queueId }, '13800138079');
    await floor.advance(20_000);
    await until('caller gone', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));

    await floor.restartProcess();
    floor.sim.switch.customers.script('8613800138079', { kind: 'answer', ringMs: 200, talkMs: 60_000, machine: false, earlyMedia: false });
    await readyAgent(floor, skilled, '1002');
    const started = await until('callback started after the restart', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackStarted'));
    expect(started.data).toMatchObject({ agentId: skilled, phone: '+8613800138079' });
  });
});
