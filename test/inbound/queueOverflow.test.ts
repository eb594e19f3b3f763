import { existsSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { callStreamId } from '../../src/domain/call/streams.ts';
import { sha256Of } from '../../src/telephony/session/recording.ts';
import { callerWaits, createQueue, offers, readyAgent, registerAgent, uniqueAgents } from '../acd/inboundSupport.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor.close();
});

const typesOf = async (id: string) => (await floor.types(callStreamId(id))).filter((t) => t !== 'CallRoutingDeferred');

describe('overflow', () => {
  it('after the queue overflow wait, the caller moves to the target queue and is served there', async () => {
    const [agent, specialist] = uniqueAgents('general', 'specialist');
    const skill = `rare-${agent}`;
    const general = await createQueue(floor, { strategy: 'longest_idle' });
    const special = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill, minLevel: 1 }], overflow: { afterSeconds: 30, target: { kind: 'queue', id: general } } });
    await registerAgent(floor, specialist, [{ skill, level: 5 }]);
    expect(await floor.server.agentCommand(specialist, { type: 'LOGIN', extension: '1009' })).toBeUndefined(); // logged in, not ready
    await readyAgent(floor, agent, '1001');
    const id = await callerWaits(floor, { queueId: special });
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();

    await floor.advance(29_000);
    expect(floor.server.endpoint(id)?.agentId).toBeUndefined();
    await floor.advance(1_000);
    const moved = (await floor.events(callStreamId(id))).find((e) => e.type === 'CallOverflowed');
    expect(moved?.data).toMatchObject({ from: special, to: { kind: 'queue', id: general }, waitedMs: 30_000, reason: 'OVERFLOW_AFTER_WAIT' });
    expect(floor.server.endpoint(id)?.agentId).toBe(agent);
    expect((await offers(floor, id))[0].data).toMatchObject({ queueId: general, winner: agent });
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
  });

  it('with nobody able to take the call logged in, the caller overflows at once', async () => {
    const [agent] = uniqueAgents('general');
    const general = await createQueue(floor, { strategy: 'longest_idle' });
    const special = await createQueue(floor, { strategy: 'longest_idle', skills: [{ skill: `rare-${agent}`, minLevel: 1 }], overflow: { afterSeconds: 30, target: { kind: 'queue', id: general } } });
    await readyAgent(floor, agent, '1001');
    const id = await callerWaits(floor, { queueId: special });
    expect((await floor.events(callStreamId(id))).find((e) => e.type === 'CallOverflowed')?.data).toMatchObject({
      from: special, to: { kind: 'queue', id: general }, waitedMs: 0, reason: 'NO_QUALIFIED_AGENT',
    });
    expect(floor.server.endpoint(id)?.agentId).toBe(agent);
    expect((await offers(floor, id))[0].data).toMatchObject({ queueId: general, winner: agent });
  });

  it('at the maximum wait a caller with no target leaves a voicemail, which is not an abandon', async () => {
    // Nobody has this skill (agents earlier tests left in the shared log may be revived by their timers).
    const queueId = await createQueue(floor, { strategy: 'longest_idle', maxWaitSeconds: 60, skills: [{ skill: `nobody-${uniqueAgents('x')[0]}`, minLevel: 1 }] });
    const id = await callerWaits(floor, { queueId });
    await floor.advance(60_000);
    expect((await floor.events(callStreamId(id))).find((e) => e.type === 'CallOverflowed')?.data).toMatchObject({
      from: queueId, to: { kind: 'voicemail' }, waitedMs: 60_000, reason: 'MAX_WAIT_REACHED',
    });
    // The prompt plays, then the message is recorded until the caller hangs up.
    await until('prompt played', () => floor.facts.some((f) => f.kind === 'playback-stopped' && 'callId' in f && f.callId === id));
    await until('recording', () => floor.facts.some((f) => f.kind === 'recording-started' && 'callId' in f && f.callId === id));
    await new Promise((r) => setTimeout(r, 100));
    floor.sim.remoteHangup(id);
    await until('ended', async () => (await floor.types(callStreamId(id))).includes('CallEnded'));
    expect(await typesOf(id)).toEqual(['CallReceived', 'CallAnswered', 'CallQueued', 'CallOverflowed', 'VoicemailStarted', 'VoicemailRecordingStarted', 'VoicemailLeft', 'CallEnded']);
    const vm = (await floor.events(callStreamId(id))).find((e) => e.type === 'VoicemailLeft')!;
    expect(vm.data).toMatchObject({ callId: id, queueId, phone: expect.stringMatching(/^\+86/) });
    expect(vm.data.durationMs).toBeGreaterThan(0);
    expect(existsSync(vm.data.file as string)).toBe(true);
    expect(vm.data.sha256).toBe(await sha256Of(vm.data.file as string));
    expect(floor.server.inboundWaiting()).toBe(0);
  });

  it('a caller served before the deadline is not moved', async () => {
    const queueId = await createQueue(floor, { strategy: 'longest_idle', maxWaitSeconds: 60 });
    const [agent] = uniqueAgents('quick');
    await registerAgent(floor, agent);
    const id = await callerWaits(floor, { queueId });
    await readyAgent(floor, agent, '1001');
    await until('bridged', () => floor.server.endpoint(id)?.status === 'bridged');
    await floor.advance(61_000);
    expect(await typesOf(id)).not.toContain('CallOverflowed');
    expect(floor.server.endpoint(id)?.status).toBe('bridged');
  });
});
