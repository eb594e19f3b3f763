import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { blacklistDecider } from '../../src/domain/blacklist/decider.ts';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { DEFAULT_CALLBACK_HOURS } from '../../src/domain/queue/decider.ts';
import { CALLBACK_MAX_TRIES, CALLBACK_RETRY_MS } from '../../src/inbound/callbackWhenFree.ts';
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

/**
 * A caller of a queue whose only qualified agent is not logged in overflows, after 20 s, to a kept callback and is
 * hung up politely; returns the agent (registered with the queue's skill, not logged in) and the kept call.
 */
async function keptCallback(from: string): Promise<{ skilled: string; id: string }> {
  const [skilled] = uniqueAgents('skilled');
  const skill = `billing-${skilled}`;
  const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 20, target: { kind: 'callback', id: `q-${skilled}` } } });
  await registerAgent(floor, skilled, [{ skill, level: 3 }]);
  const id = await callerWaits(floor, { queueId }, from);
  await floor.advance(20_000);
  await until('caller gone', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
  return { skilled, id };
}

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
    // The customer talks only briefly: look for the bridge in the log, not in the live state it soon leaves.
    await until('agent and customer bridged', async () => (await floor.types(callStreamId(callbackId))).includes('CallBridged'));
    expect(created(agentLegId(callbackId, skilled))).toBeLessThan(created(callbackId));
    // The try passed the compliance gate with its receipt on the callback call.
    const dial = (await floor.events(callStreamId(callbackId)))[0];
    expect(dial).toMatchObject({ type: 'CallDialAttempted', data: { phone: '+8613800138078', agentId: skilled, attempt: 1, selection: 'callback', compliance: { allowed: true, inputs: { rulesVersion: 'callback-1', withinCallingHours: true } } } });
    // Kept while the call is on; done once the customer answered and the call ended.
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).toContain(id);
    await until('callback call ended', async () => (await floor.types(callStreamId(callbackId))).includes('CallEnded'));
    await until('agent in wrap-up', () => floor.server.agents.status(skilled) === 'wrap-up');
    await floor.server.idle();
    await floor.advance(10_000); // wrap-up over: the agent's next dispatch settles the try
    const ended = await until('outcome recorded', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackAttemptEnded'));
    expect(ended.data).toMatchObject({ callbackCallId: callbackId, outcome: 'answered', tries: 1, retryAt: null });
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).not.toContain(id);
  });

  it('a customer who does not answer is tried again later, up to the limit, each try recorded; then it is given up', async () => {
    const { skilled, id } = await keptCallback('13800138081');
    floor.sim.switch.customers.script('8613800138081', { kind: 'fail', afterMs: 500, cause: 'USER_BUSY', sipStatus: 486 });
    floor.sim.switch.agents.set('1003', { answerMs: 200 });
    await readyAgent(floor, skilled, '1003');

    const outcomes = async () => (await floor.events(callStreamId(id))).filter((e) => e.type === 'CallbackAttemptEnded');
    for (let n = 1; n <= CALLBACK_MAX_TRIES; n++) {
      await until(`try ${n} started`, async () => (await floor.types(callStreamId(id))).filter((t) => t === 'CallbackStarted').length === n);
      const started = (await floor.events(callStreamId(id))).filter((e) => e.type === 'CallbackStarted').at(-1)!;
      await until(`try ${n} call ended`, async () => (await floor.types(callStreamId(started.data.callbackCallId as string))).includes('CallEnded'));
      await until(`agent ${n} in wrap-up`, () => floor.server.agents.status(skilled) === 'wrap-up');
      await floor.server.idle();
      await floor.advance(10_000); // wrap-up over: dispatch settles the try
      const last = await until(`try ${n} outcome`, async () => (await outcomes()).length === n && (await outcomes()).at(-1));
      expect(last.data).toMatchObject({ callbackCallId: started.data.callbackCallId, outcome: 'not_answered', cause: 'USER_BUSY', tries: n });
      if (n < CALLBACK_MAX_TRIES) {
        expect(Date.parse(last.data.retryAt as string)).toBe(floor.clock.t + CALLBACK_RETRY_MS);
        expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).toContain(id);
        // Not before its time: the agent is free, yet nothing is dialed.
        await floor.server.dispatch();
        expect((await floor.types(callStreamId(id))).filter((t) => t === 'CallbackStarted')).toHaveLength(n);
        // A quiet floor: the retry's own durable timer looks for the free agent when it comes due.
        await floor.advance(CALLBACK_RETRY_MS);
      } else {
        expect(last.data.retryAt).toBeNull();
      }
    }
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).not.toContain(id);
  });

  it('a number blacklisted after it was kept is not called back: the blocked receipt is recorded and the callback given up', async () => {
    const { skilled, id } = await keptCallback('13800138082');
    await handleCommand(floor.store, blacklistDecider, '+8613800138082', { type: 'BlacklistNumber', data: { phone: '+8613800138082', reason: '骚扰 abusive caller' }, meta: { now: new Date().toISOString(), commandId: `bl-${id}`, actorId: 'admin-1', actorRole: 'admin' } });

    await readyAgent(floor, skilled, '1004');
    const ended = await until('try refused', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackAttemptEnded'));
    expect(ended.data).toMatchObject({ outcome: 'blocked', reasons: ['BLACKLISTED'], tries: 0, retryAt: null });
    const receipt = await floor.events(callStreamId(ended.data.callbackCallId as string));
    expect(receipt.map((e) => e.type)).toEqual(['CallDialBlocked']);
    expect(receipt[0].data).toMatchObject({ phone: '+8613800138082', compliance: { allowed: false, reasons: ['BLACKLISTED'], inputs: { blacklisted: true } } });
    expect((await floor.types(callStreamId(id))).includes('CallbackStarted')).toBe(false);
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).not.toContain(id);
  });

  it('outside calling hours (the callee\'s time) the try is refused with a receipt and the callback kept until the hours open', async () => {
    const { skilled, id } = await keptCallback('13800138083');
    floor.clock.t = Date.parse('2026-11-23T14:30:00Z'); // 22:30 in Beijing
    await readyAgent(floor, skilled, '1005');
    const ended = await until('try refused', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackAttemptEnded'));
    // The queue sets no callback hours: 09:00-21:00 in the callee's zone, so the next try is at 09:00 Beijing.
    expect(ended.data).toMatchObject({ outcome: 'blocked', reasons: ['OUTSIDE_CALLING_HOURS'], tries: 0, retryAt: '2026-11-24T01:00:00.000Z' });
    expect((await floor.events(callStreamId(ended.data.callbackCallId as string)))[0].data).toMatchObject({ compliance: { inputs: { localTime: expect.stringContaining('22:30'), withinCallingHours: false, callingHours: DEFAULT_CALLBACK_HOURS } } });
    expect(floor.server.queues.pendingCallbacks().find((c) => c.callId === id)).toMatchObject({ tries: 0, notBeforeMs: Date.parse('2026-11-24T01:00:00Z') });
  });

  it('a queue\'s own callback hours (10-12 callee time): not tried at 13:00, with the hours on the refused receipt; tried when the window opens', async () => {
    const [skilled] = uniqueAgents('hours');
    const skill = `billing-${skilled}`;
    const callbackHours = { windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '10:00', end: '12:00' }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };
    floor.clock.t = Date.parse('2026-11-23T04:59:40Z'); // 12:59:40 in Beijing
    const callbackQueue = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], callbackHours });
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 20, target: { kind: 'callback', id: callbackQueue } } });
    await registerAgent(floor, skilled, [{ skill, level: 3 }]);
    const id = await callerWaits(floor, { queueId }, '13800138085');
    await floor.advance(20_000); // 13:00 in Beijing: kept for a callback
    await until('caller gone', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));

    floor.sim.switch.customers.script('8613800138085', { kind: 'answer', ringMs: 200, talkMs: 60_000, machine: false, earlyMedia: false });
    await readyAgent(floor, skilled, '1007');
    const refused = await until('try refused', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackAttemptEnded'));
    // Tried again when the queue's window opens: 10:00 Beijing the next day.
    expect(refused.data).toMatchObject({ outcome: 'blocked', reasons: ['OUTSIDE_CALLING_HOURS'], tries: 0, retryAt: '2026-11-24T02:00:00.000Z' });
    const receipt = await floor.events(callStreamId(refused.data.callbackCallId as string));
    expect(receipt.map((e) => e.type)).toEqual(['CallDialBlocked']);
    expect(receipt[0].data).toMatchObject({ compliance: { allowed: false, inputs: { localTime: '2026-11-23T13:00', timeZone: 'Asia/Shanghai', withinCallingHours: false, callingHours: callbackHours } } });
    // The agent stays free, yet nothing is dialed before the window opens.
    await floor.advance(3_600_000);
    expect((await floor.types(callStreamId(id))).includes('CallbackStarted')).toBe(false);

    floor.clock.t = Date.parse('2026-11-24T01:59:00Z');
    await floor.advance(60_000); // 10:00 in Beijing: the retry's timer fires
    const started = await until('callback started when the window opens', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackStarted'));
    const dial = (await floor.events(callStreamId(started.data.callbackCallId as string)))[0];
    expect(dial).toMatchObject({ type: 'CallDialAttempted', data: { compliance: { allowed: true, inputs: { localTime: '2026-11-24T10:00', withinCallingHours: true, callingHours: callbackHours } } } });
  });

  it('a number on the do-not-call list is still called back, as the caller asked: the receipt says the list was waived', async () => {
    const { skilled, id } = await keptCallback('13800138084');
    const { position } = await floor.store.append(`lead-cb-${id}`, [{ type: 'LeadDoNotCallAdded', data: { leadId: `cb-${id}`, phone: '+8613800138084', reason: 'customer asked' } }]);
    floor.sim.switch.customers.script('8613800138084', { kind: 'answer', ringMs: 200, talkMs: 5_000, machine: false, earlyMedia: false });

    await readyAgent(floor, skilled, '1006');
    const started = await until('callback started', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackStarted'));
    const dial = (await floor.events(callStreamId(started.data.callbackCallId as string)))[0];
    expect(dial).toMatchObject({ type: 'CallDialAttempted', data: { compliance: { allowed: true, inputs: { doNotCall: false } } } });
    const version = (dial.data as any).compliance.inputs.dncListVersion as string;
    expect(version).toMatch(new RegExp(`^dnc@\\d+ waived: on the list, but the caller asked for this callback on call ${id}$`));
    expect(Number(version.slice(4).split(' ')[0])).toBeGreaterThanOrEqual(position);
  });

  it('a kept callback survives a restart of the session', async () => {
    const { skilled, id } = await keptCallback('13800138079');

    await floor.restartProcess();
    floor.sim.switch.customers.script('8613800138079', { kind: 'answer', ringMs: 200, talkMs: 60_000, machine: false, earlyMedia: false });
    await readyAgent(floor, skilled, '1002');
    const started = await until('callback started after the restart', async () => (await floor.events(callStreamId(id))).find((e) => e.type === 'CallbackStarted'));
    expect(started.data).toMatchObject({ agentId: skilled, phone: '+8613800138079' });
  });

  it('an agent who frees up takes an answered dialer customer on the line before a kept callback', async () => {
    const [skilled] = uniqueAgents('first-free');
    const skill = `billing-${skilled}`;
    const callbackQueue = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }] });
    const queueId = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 20, target: { kind: 'callback', id: callbackQueue } } });
    await registerAgent(floor, skilled, [{ skill, level: 3 }]);
    floor.sim.switch.agents.set('1005', { answerMs: 200 });
    expect(await floor.server.agentCommand(skilled, { type: 'LOGIN', extension: '1005' })).toBeUndefined(); // not ready yet
    const kept = await callerWaits(floor, { queueId }, '13800138079');
    await floor.advance(20_000);
    await until('callback kept', () => floor.server.queues.pendingCallbacks().some((c) => c.callId === kept));
    // A dialer customer answers while nobody is ready: queued, on the line, under the connect rule.
    const dialed = `dialer-${skilled}`;
    floor.sim.switch.customers.script('8613800138080', { kind: 'answer', ringMs: 200, talkMs: 60_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId: dialed, dial: 'sofia/gateway/trunk/8613800138080', connectRuleMs: 60_000 });
    await until('dialer customer queued', () => floor.server.endpoint(dialed)?.status === 'queued');
    expect(await floor.server.agentCommand(skilled, { type: 'READY' })).toBeUndefined();
    await until('the dialer customer offered', () => floor.server.endpoint(dialed)?.agentId === skilled);
    expect(floor.server.queues.pendingCallbacks().map((c) => c.callId)).toContain(kept);
  });
});
