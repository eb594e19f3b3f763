import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallControlPort } from '../../src/api/telephony.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { ScorecardCommand } from '../../src/domain/qa/commands.ts';
import { scorecardDecider } from '../../src/domain/qa/scorecardDecider.ts';
import { startServer, type Harness } from './harness.ts';

/** Stands in for the switch: remembers what it was asked to do. */
class SwitchRequests implements CallControlPort {
  log: string[] = [];
  async dial(r: { callId: string; phone: string; agentId: string }) {
    this.log.push(`dial ${r.phone} for ${r.agentId}`);
  }
  async hangUp(callId: string, r: { by: string; cause?: string }) {
    this.log.push(`hangup ${callId} by ${r.by}${r.cause ? ` ${r.cause}` : ''}`);
  }
  async hold(callId: string) {
    this.log.push(`hold ${callId}`);
  }
  async unhold(callId: string) {
    this.log.push(`unhold ${callId}`);
  }
  async transfer(callId: string, to: { kind: string; id: string }, mode: string) {
    this.log.push(`transfer ${callId} to ${to.kind} ${to.id} ${mode}`);
  }
  async monitor(callId: string, supervisorId: string, mode: string) {
    this.log.push(`monitor ${callId} by ${supervisorId} ${mode}`);
  }
  async stopMonitoring(callId: string, supervisorId: string) {
    this.log.push(`stop monitoring ${callId} by ${supervisorId}`);
  }
  async finishWrapUp(agentId: string) {
    this.log.push(`finish wrap-up of ${agentId}`);
  }
}

let h: Harness;
const sw = new SwitchRequests();
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;

beforeAll(async () => {
  h = await startServer({ telephony: sw }, 'api_calls');
  const at = new Date().toISOString();
  await h.store.append('call-k1', [
    { type: 'CallDialAttempted', data: { callId: 'k1', phone: '+8613800138000', agentId: 'agent-east', direction: 'outbound', attempt: 1, at, compliance: { allowed: true, reasons: [], inputs: {} } } },
    { type: 'CallAnswered', data: { callId: 'k1', answeredBy: 'human', at } },
    { type: 'CallBridged', data: { callId: 'k1', agentId: 'agent-east', at } },
  ]);
});
afterAll(() => h?.close());

describe('call control', () => {
  it('passes an agent’s own call control to the switch', async () => {
    const token = await h.token('agent-east');
    expect((await h.gql('mutation { hold(callId: "k1") { streamId } }', {}, token)).data.hold.streamId).toBe('call-k1');
    await h.gql('mutation { transfer(callId: "k1", toNumber: "021-6123 4567") { position } }', {}, token);
    await h.gql('mutation { dial(phone: "13900139000") { streamId } }', {}, token);
    expect(sw.log).toEqual(['hold k1', 'transfer k1 to number +862161234567 blind', 'dial +8613900139000 for agent-east']);
  });

  it('refuses control of someone else’s call and tells the switch nothing', async () => {
    sw.log = [];
    expect(code(await h.gql('mutation { hangUp(callId: "k1") { position } }', {}, await h.token('agent-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql('mutation { forceHangUp(callId: "k1", reason: "x") { position } }', {}, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql('mutation { monitorCall(callId: "k1", mode: LISTEN) { position } }', {}, await h.token('tl-east')))).toBe('FORBIDDEN');
    expect(code(await h.gql('mutation { hold(callId: "nope") { position } }', {}, await h.token('agent-east')))).toBe('NOT_FOUND');
    expect(sw.log).toEqual([]);
  });

  it('records a supervisor’s intervention, with the reason, before the switch acts', async () => {
    sw.log = [];
    const token = await h.token('sup-east');
    const m = await h.gql('mutation { monitorCall(callId: "k1", mode: WHISPER, commandId: "m1") { events { type } } }', {}, token);
    expect(m.data.monitorCall.events).toEqual([{ type: 'CallMonitored' }]);
    const f = await h.gql('mutation { forceHangUp(callId: "k1", reason: "辱骂客户", commandId: "f1") { events { type position } } }', {}, token);
    expect(f.data.forceHangUp.events[0].type).toBe('CallForceHungUp');
    // Pressing the button twice with the same command id hangs up once.
    await h.gql('mutation { forceHangUp(callId: "k1", reason: "辱骂客户", commandId: "f1") { repeated } }', {}, token);
    expect(sw.log).toEqual(['monitor k1 by sup-east whisper', 'hangup k1 by sup-east SUPERVISOR_FORCED']);
    const last = (await h.store.readStream('call-k1')).at(-1)!;
    expect(last).toMatchObject({ type: 'CallForceHungUp', data: { by: 'sup-east', reason: '辱骂客户' }, metadata: { actorId: 'sup-east', actorRole: 'supervisor' } });
  });

  it('lets QA score a call of their department against the latest scorecard', async () => {
    const criteria = [{ id: 'greeting', label: '开场白', weight: 40 }, { id: 'compliance', label: '合规', weight: 60 }];
    await handleCommand(h.store, scorecardDecider, 'std', { type: 'DefineScorecard', data: { scorecardId: 'std', name: '标准', criteria }, meta: { now: new Date().toISOString(), actorId: 'admin', actorRole: 'admin' } } as ScorecardCommand);
    const Q = 'mutation { scoreCall(callId: "k1", scorecard: "std", items: { greeting: 30, compliance: 60 }) { events { type } } }';
    expect(code(await h.gql(Q, {}, await h.token('agent-east')))).toBe('FORBIDDEN');
    const r = await h.gql(Q, {}, await h.token('qa-east'));
    expect(r.errors).toBeUndefined();
    expect(r.data.scoreCall.events).toEqual([{ type: 'CallScored' }]);
    expect((await h.store.readStream('evaluation-k1'))[0].data).toMatchObject({ total: 90, evaluatorId: 'qa-east', agentId: 'agent-east', scorecardVersion: 1 });
  });
});

describe('wrap-up', () => {
  it('asks the session to end the calling agent’s own wrap-up, never someone else’s', async () => {
    const before = sw.log.length;
    const r = await h.gql('mutation { finishWrapUp { streamId } }', {}, await h.token('agent-west'));
    expect(r.data.finishWrapUp.streamId).toBe('agent-agent-west');
    expect(sw.log.slice(before)).toEqual(['finish wrap-up of agent-west']);
    expect(code(await h.gql('mutation { finishWrapUp { streamId } }', {}, await h.token('auditor')))).toBe('FORBIDDEN');
    expect(sw.log.slice(before)).toHaveLength(1);
  });
});
