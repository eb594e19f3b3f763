import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallControlPort } from '../../src/api/telephony.ts';
import { Scheduler } from '../../src/scheduler/scheduler.ts';
import { callControlPort } from '../../src/telephony/callControlPort.ts';
import { EslClient } from '../../src/telephony/esl/eslClient.ts';
import { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { FreeSwitchSimulator } from '../../src/telephony/simulator/server.ts';
import { until } from '../telephony/session/harness.ts';
import { startServer, type Harness } from './harness.ts';

// The agent's Answer and Finish wrap-up buttons, from GraphQL down to the simulated switch and back into the log.
let h: Harness;
let sim: FreeSwitchSimulator;
let esl: EslClient;
let media: MediaServer;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  sim = await FreeSwitchSimulator.start({ timeScale: 50, heartbeatMs: 3_600_000 });
  const live: { port?: CallControlPort } = {};
  // The API is built before the session exists; calls reach the session's port once it is up.
  const telephony = new Proxy({} as CallControlPort, { get: (_t, name: keyof CallControlPort) => live.port?.[name] });
  h = await startServer({ telephony }, 'api_calls_live');
  esl = await EslClient.connect({ host: '127.0.0.1', port: sim.port, password: sim.password });
  const clock = { now: () => Date.now() };
  const scheduler = new Scheduler(h.store, clock, async () => 'applied');
  media = new MediaServer({ store: h.store, esl, clock, scheduler, reservationMs: 600_000, wrapUpMs: 600_000 });
  live.port = callControlPort({ store: h.store, media, customerDial: (n) => `sofia/gateway/trunk/${n}` });
});
afterAll(async () => {
  media?.detach();
  await esl?.close();
  await sim?.stop();
  await h?.close();
});

describe('answerCall and finishWrapUp through the live session', () => {
  it('the agent answers the call ringing at their phone, then ends wrap-up; others are refused with the reason', async () => {
    const agent = await h.token('agent-east');
    sim.switch.agents.set('8001', { answer: false });
    expect(await media.agentCommand('agent-east', { type: 'LOGIN', extension: '8001' })).toBeUndefined();
    expect(await media.agentCommand('agent-east', { type: 'READY' })).toBeUndefined();

    const none = await h.gql('mutation { answerCall(commandId: "ans-0") { streamId } }', {}, agent);
    expect(code(none)).toBe('NOTHING_OFFERED');
    expect(none.errors?.[0].message).toMatch(/没有呼入|no call is offered/);

    const callId = randomUUID();
    sim.switch.customers.script('8613800138201', { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
    await media.dial({ callId, dial: 'sofia/gateway/trunk/8613800138201' });
    await until('agent phone ringing', () => media.agents.status('agent-east') === 'ringing');

    expect(code(await h.gql(`mutation { answerCall(callId: "${callId}") { streamId } }`, {}, await h.token('agent-east-2')))).toBe('NOTHING_OFFERED');
    expect(code(await h.gql(`mutation { answerCall(callId: "${callId}") { streamId } }`, {}, await h.token('auditor')))).toBe('FORBIDDEN');
    const early = await h.gql('mutation { finishWrapUp { streamId } }', {}, agent);
    expect(code(early)).toBe('NOT_IN_WRAP_UP');

    const answered = await h.gql(`mutation { answerCall(callId: "${callId}", commandId: "ans-1") { streamId } }`, {}, agent);
    expect(answered.errors).toBeUndefined();
    expect(answered.data.answerCall.streamId).toBe(`call-${callId}`);
    // The same click again (a retry) names the call it already answered.
    expect((await h.gql(`mutation { answerCall(callId: "${callId}", commandId: "ans-1") { streamId } }`, {}, agent)).data.answerCall.streamId).toBe(`call-${callId}`);
    await until('bridged in the log', async () => (await h.store.readStream(`call-${callId}`)).some((e) => e.type === 'CallBridged'));

    sim.remoteHangup(callId, 'NORMAL_CLEARING');
    await until('wrap-up', () => media.agents.status('agent-east') === 'wrap-up');
    await media.idle();
    const done = await h.gql('mutation { finishWrapUp(commandId: "wu-1") { streamId } }', {}, agent);
    expect(done.errors).toBeUndefined();
    expect(media.agents.status('agent-east')).toBe('ready');
    // A retry of the same click is no error; a new one outside wrap-up is refused with the reason.
    expect((await h.gql('mutation { finishWrapUp(commandId: "wu-1") { streamId } }', {}, agent)).errors).toBeUndefined();
    expect(code(await h.gql('mutation { finishWrapUp(commandId: "wu-2") { streamId } }', {}, agent))).toBe('NOT_IN_WRAP_UP');
    expect((await h.store.readStream('agent-agent-east')).at(-1)).toMatchObject({ type: 'AgentWrapUpEnded', metadata: { actorId: 'agent-east' } });
  });
});
