import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentStreamId } from '../../../src/domain/agent/streams.ts';
import { callStreamId } from '../../../src/domain/call/streams.ts';
import { agentLegId, supervisorLegId, type RecordingPolicy } from '../../../src/telephony/session/callEndpoint.ts';
import { pauseRecording, resolveRecordingPolicy, resumeRecording, startRecording, stopRecording } from '../../../src/telephony/session/recording.ts';
import { forceHangUp, forceTransfer, monitor } from '../../../src/telephony/session/supervisor.ts';
import { openFloor, until, type Floor } from './harness.ts';

let floor: Floor;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await floor?.close();
});

async function readyAgent(agentId: string, ext: string): Promise<void> {
  floor.sim.switch.agents.set(ext, { answerMs: 300 });
  await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext });
  await floor.server.agentCommand(agentId, { type: 'READY' });
}

/** A customer bridged to a fresh agent; returns ids. */
async function liveCall(recording?: RecordingPolicy) {
  const agentId = `a-${randomUUID()}`;
  await readyAgent(agentId, `1${Math.floor(Math.random() * 900 + 100)}`);
  const callId = randomUUID();
  const number = `86139${Math.floor(Math.random() * 1e8)}`;
  floor.sim.switch.customers.script(number, { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
  await floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}`, campaignId: 'camp-rec', recording });
  await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged');
  await floor.server.idle();
  return { agentId, callId };
}

const sup = { actorId: 'sup-1', actorRole: 'supervisor', reason: '质检抽查 quality check' };
const eventsOf = (id: string) => floor.events(callStreamId(id));

describe('recording', () => {
  it('policy: never anywhere wins, then always anywhere, else on demand', () => {
    expect(resolveRecordingPolicy({ campaign: 'always', agent: 'never' })).toBe('never');
    expect(resolveRecordingPolicy({ queue: 'always', agent: 'on-demand' })).toBe('always');
    expect(resolveRecordingPolicy({})).toBe('on-demand');
  });

  it('always: starts at bridge; pause/resume for a card payment; stop stores the SHA-256 of the real file', async () => {
    const { callId } = await liveCall('always');
    expect((await eventsOf(callId)).map((e) => e.type)).toContain('CallRecordingStarted');
    await pauseRecording(floor.server, callId, { actorId: 'agent', reason: 'card payment' });
    await resumeRecording(floor.server, callId, { actorId: 'agent' });
    await stopRecording(floor.server, callId, { actorId: 'agent' });
    const stopped = await until('recording stopped', async () => (await eventsOf(callId)).find((e) => e.type === 'CallRecordingStopped'));
    const types = (await eventsOf(callId)).map((e) => e.type);
    expect(types.filter((t) => t.startsWith('CallRecording'))).toEqual(['CallRecordingStarted', 'CallRecordingPaused', 'CallRecordingResumed', 'CallRecordingStopped']);
    const paused = (await eventsOf(callId)).find((e) => e.type === 'CallRecordingPaused')!;
    expect(paused.data).toMatchObject({ reason: 'card payment' });
    const file = stopped.data.file as string;
    const bytes = await readFile(file);
    expect(bytes.subarray(0, 4).toString()).toBe('RIFF');
    expect(stopped.data.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
  });

  it('never: refuses to record with a clear error; on demand: hang-up closes the file and records its hash', async () => {
    const never = await liveCall('never');
    await expect(startRecording(floor.server, never.callId, { actorId: 'agent' })).rejects.toMatchObject({ code: 'RECORDING_NOT_ALLOWED' });
    expect((await eventsOf(never.callId)).some((e) => e.type.startsWith('CallRecording'))).toBe(false);

    const onDemand = await liveCall('on-demand');
    expect((await eventsOf(onDemand.callId)).some((e) => e.type === 'CallRecordingStarted')).toBe(false);
    await startRecording(floor.server, onDemand.callId, { actorId: 'agent' });
    floor.sim.remoteHangup(onDemand.callId);
    const stopped = await until('stopped on hangup', async () => (await eventsOf(onDemand.callId)).find((e) => e.type === 'CallRecordingStopped'));
    expect(stopped.data.sha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('supervisor', () => {
  it('listen is recorded with actor and reason; the supervisor hears the call and nobody hears the supervisor', async () => {
    floor.sim.switch.agents.set('2001', { answerMs: 200 });
    const { agentId, callId } = await liveCall();
    const agentLeg = agentLegId(callId, agentId);
    const supLeg = await monitor(floor.server, callId, 'listen', 'user/2001', sup);
    expect(supLeg).toBe(supervisorLegId(callId, 'sup-1'));
    await until('supervisor hears the call', () => floor.sim.hears(supLeg).includes(agentLeg));
    expect(floor.sim.hears(agentLeg)).not.toContain(supLeg);
    const monitored = (await eventsOf(callId)).find((e) => e.type === 'CallMonitored')!;
    expect(monitored.data).toMatchObject({ mode: 'listen', supervisorId: 'sup-1' });
    expect(monitored.metadata).toMatchObject({ actorId: 'sup-1', actorRole: 'supervisor', reason: sup.reason });
  });

  it('whisper reaches the agent only', async () => {
    floor.sim.switch.agents.set('2003', { answerMs: 200 });
    const { agentId, callId } = await liveCall();
    const supLeg = await monitor(floor.server, callId, 'whisper', 'user/2003', { ...sup, actorId: 'sup-3' });
    await until('agent hears the supervisor', () => floor.sim.hears(agentLegId(callId, agentId)).includes(supLeg));
    expect(floor.sim.hears(callId)).not.toContain(supLeg);
    expect((await eventsOf(callId)).find((e) => e.type === 'CallMonitored')!.data).toMatchObject({ mode: 'whisper', supervisorId: 'sup-3' });
  });

  it('barge lets both sides hear the supervisor', async () => {
    floor.sim.switch.agents.set('2002', { answerMs: 200 });
    const { agentId, callId } = await liveCall();
    const supLeg = await monitor(floor.server, callId, 'barge', 'user/2002', { ...sup, actorId: 'sup-2' });
    await until('agent hears the supervisor', () => floor.sim.hears(agentLegId(callId, agentId)).includes(supLeg));
    expect(floor.sim.hears(callId)).toContain(supLeg);
  });

  it('refuses non-supervisors and missing reasons; force hang-up is recorded then ends the call', async () => {
    const { agentId, callId } = await liveCall();
    await expect(forceHangUp(floor.server, callId, { actorId: 'x', actorRole: 'agent', reason: 'r' })).rejects.toMatchObject({ code: 'NOT_A_SUPERVISOR' });
    await expect(forceHangUp(floor.server, callId, { ...sup, reason: ' ' })).rejects.toMatchObject({ code: 'REASON_REQUIRED' });
    await forceHangUp(floor.server, callId, { ...sup, reason: '辱骂客户 abusive' });
    await until('ended', async () => (await eventsOf(callId)).some((e) => e.type === 'CallEnded'));
    const events = await eventsOf(callId);
    const forced = events.find((e) => e.type === 'CallForceHungUp')!;
    expect(forced.data).toMatchObject({ by: 'sup-1', reason: '辱骂客户 abusive' });
    expect(events.at(-1)!.data).toMatchObject({ hangupBy: 'system' });
    await until('agent in wrap-up', () => floor.server.agents.status(agentId) === 'wrap-up');
  });

  it('force transfer moves the customer to another ready agent; the first goes to wrap-up', async () => {
    const { agentId: first, callId } = await liveCall();
    const second = `a-${randomUUID()}`;
    await readyAgent(second, '1999');
    await forceTransfer(floor.server, callId, second, { ...sup, reason: '升级处理 escalation' });
    await until('bridged to the second agent', () => floor.server.endpoint(callId)?.status === 'bridged' && floor.server.endpoint(callId)?.agentId === second);
    await floor.server.idle();
    expect(floor.sim.hears(callId)).toEqual([agentLegId(callId, second)]);
    expect(floor.server.agents.status(first)).toBe('wrap-up');
    expect(floor.server.agents.status(second)).toBe('on-call');
    const types = (await eventsOf(callId)).map((e) => e.type);
    expect(types.slice(-3)).toEqual(['CallTransferred', 'CallForceTransferred', 'CallBridged']);
    expect((await eventsOf(callId)).find((e) => e.type === 'CallForceTransferred')!.metadata).toMatchObject({ actorId: 'sup-1', reason: '升级处理 escalation' });
  });
});

describe('click-to-dial (preview)', () => {
  it('rings the agent first, then dials the customer and bridges them', async () => {
    const agentId = `a-${randomUUID()}`;
    await readyAgent(agentId, '1500');
    const callId = randomUUID();
    floor.sim.switch.customers.script('8613912345678', { kind: 'answer', ringMs: 500, talkMs: 600_000, machine: false, earlyMedia: false });
    await floor.server.clickToDial({ callId, agentId, dial: 'sofia/gateway/trunk/8613912345678', campaignId: 'preview' });
    await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged');
    await floor.server.idle();
    const created = floor.facts.filter((f) => f.kind === 'channel-created').map((f) => (f as { callId: string }).callId);
    expect(created.indexOf(agentLegId(callId, agentId))).toBeLessThan(created.indexOf(callId));
    expect(floor.sim.hears(callId)).toContain(agentLegId(callId, agentId));
    expect((await floor.types(agentStreamId(agentId))).slice(-3)).toEqual(['AgentReserved', 'AgentRinging', 'AgentCallConnected']);
    expect(await floor.types(callStreamId(callId))).toEqual(['CallRinging', 'CallAnswered', 'CallBridged']);
  });

  it('refuses click-to-dial for an agent who is not ready', async () => {
    const agentId = `a-${randomUUID()}`;
    await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: '1501' });
    await expect(floor.server.clickToDial({ callId: randomUUID(), agentId, dial: 'sofia/gateway/trunk/861' })).rejects.toMatchObject({ code: 'AGENT_TRANSITION_REFUSED' });
  });
});
