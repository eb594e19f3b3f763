import { buildSchema, getNamedType, isEnumType, isInputObjectType, isListType, isNonNullType, isObjectType, isScalarType, type GraphQLField, type GraphQLInputType } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectionReadModels } from '../../src/api/projectionReadModels.ts';
import { loadSchemaSdl } from '../../src/api/schema/load.ts';
import { rebuild } from '../../src/projections/index.ts';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { ScorecardCommand } from '../../src/domain/qa/commands.ts';
import { scorecardDecider } from '../../src/domain/qa/scorecardDecider.ts';
import { startServer, type Harness } from './harness.ts';

/**
 * Every root field, called once by an admin (the role every field allows except the auditor's reads), with
 * made-up arguments: anything but NOT_AVAILABLE (a result, NOT_FOUND, a domain error) means the field is
 * served. The set left NOT_AVAILABLE is pinned below: shrink it when a field is added.
 */
const STILL_NOT_AVAILABLE = [
  // Call control: needs a switch (the telephony port), none in this server.
  'Mutation.dial',
  'Mutation.answerCall',
  'Mutation.hangUp',
  'Mutation.hold',
  'Mutation.unhold',
  'Mutation.transfer',
  'Mutation.monitorCall',
  'Mutation.stopMonitoring',
  'Mutation.forceHangUp',
  'Mutation.forceTransfer',
  'Mutation.finishWrapUp', // the live agent machine owns wrap-up: CallControlPort.finishWrapUp
].sort();

const schema = buildSchema(loadSchemaSdl());
let h: Harness;
beforeAll(async () => {
  h = await startServer(({ pool, store }) => ({ readModels: projectionReadModels(pool, store) }), 'api_root_fields');
  await rebuild('all', { pool: h.pool, store: h.store }); // the read-model tables
});
afterAll(async () => {
  await h?.close();
});

/** A value of an input type; only required arguments and fields are filled. */
function sample(t: GraphQLInputType): unknown {
  if (isNonNullType(t)) return sample(t.ofType);
  if (isListType(t)) return [sample(t.ofType)];
  if (isEnumType(t)) return t.getValues()[0].value;
  if (isInputObjectType(t)) {
    const out: Record<string, unknown> = {};
    for (const f of Object.values(t.getFields())) if (isNonNullType(f.type)) out[f.name] = sample(f.type);
    return out;
  }
  if (isScalarType(t)) {
    const byName: Record<string, unknown> = { Int: 1, Float: 1, Boolean: true, DateTime: new Date().toISOString(), JSON: {}, Position: 1, Money: 100 };
    return byName[t.name] ?? 'x1';
  }
  return null;
}

function operation(kind: 'query' | 'mutation' | 'subscription', f: GraphQLField<unknown, unknown>) {
  const required = f.args.filter((a) => isNonNullType(a.type));
  const vars = required.map((a) => `$${a.name}: ${a.type.toString()}`).join(', ');
  const args = required.map((a) => `${a.name}: $${a.name}`).join(', ');
  const selection = isObjectType(getNamedType(f.type)) || !isScalarType(getNamedType(f.type)) && !isEnumType(getNamedType(f.type)) ? ' { __typename }' : '';
  const query = `${kind}${vars ? `(${vars})` : ''} { ${f.name}${args ? `(${args})` : ''}${selection} }`;
  // Periods run from an hour ago to now.
  const value = (name: string, t: GraphQLInputType) => (['from', 'since'].includes(name) ? new Date(Date.now() - 3600_000).toISOString() : sample(t));
  return { query, variables: Object.fromEntries(required.map((a) => [a.name, value(a.name, a.type)])) };
}

/** First answer of a subscription, or 'open' when it is accepted and quiet for a moment. */
async function subscribeOnce(token: string, query: string, variables: Record<string, unknown>): Promise<string | undefined> {
  const client = createClient({ url: `${h.url.replace('http', 'ws')}/graphql`, webSocketImpl: WebSocket, connectionParams: { token }, retryAttempts: 0, lazy: true });
  try {
    return await new Promise<string | undefined>((resolve) => {
      const timer = setTimeout(() => resolve('open'), 500);
      client.subscribe(
        { query, variables },
        {
          next: (m: any) => {
            clearTimeout(timer);
            resolve(m.errors?.[0]?.extensions?.code);
          },
          error: (e: any) => {
            clearTimeout(timer);
            resolve(Array.isArray(e) ? e[0]?.extensions?.code : 'ERROR');
          },
          complete: () => {},
        },
      );
    });
  } finally {
    await client.dispose();
  }
}

describe('root fields', () => {
  it('answers every root field but the pinned list for an authorized caller', async () => {
    const admin = await h.token('admin');
    const notAvailable: string[] = [];
    const malformed: string[] = []; // a wrongly built call would pass for "served": none may be
    for (const [kind, type] of [['query', schema.getQueryType()!], ['mutation', schema.getMutationType()!], ['subscription', schema.getSubscriptionType()!]] as const) {
      for (const f of Object.values(type.getFields())) {
        // logout would end the admin's session; login needs no session; _noop is a placeholder.
        if (['_noop', 'logout', 'login'].includes(f.name)) continue;
        const { query, variables } = operation(kind, f);
        let code: string | undefined;
        if (kind === 'subscription') code = await subscribeOnce(admin, query, variables);
        else {
          const r = await h.gql(query, variables, admin);
          code = r.errors?.[0]?.extensions?.code;
          if (r.status === 400 || (r.errors && !code)) malformed.push(`${type.name}.${f.name}: ${r.errors?.[0]?.message}`);
        }
        if (code === 'NOT_AVAILABLE') notAvailable.push(`${type.name}.${f.name}`);
      }
    }
    expect(malformed).toEqual([]);
    expect(notAvailable.sort()).toEqual(STILL_NOT_AVAILABLE);
  });

  it('keeps the new fields to their roles and scopes', async () => {
    const q = 'mutation { createQueue(id: "q-west", input: { name: "西部售后", departmentId: "west" }) { events { type } } }';
    expect((await h.gql(q, {}, await h.token('sup-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(q, {}, await h.token('agent-west'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(q, {}, await h.token('sup-west'))).data.createQueue.events).toEqual([{ type: 'QueueCreated' }]);
    const u = 'mutation { updateQueue(id: "q-west", input: { name: "西部售后", maxWaitSeconds: 60 }) { events { type } } }';
    expect((await h.gql(u, {}, await h.token('sup-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(u, {}, await h.token('sup-west'))).data.updateQueue.events).toEqual([{ type: 'QueueConfigured' }]);
    const bad = 'mutation { updateQueue(id: "q-west", input: { name: "x", agentIds: ["agent-west"] }) { position } }';
    expect((await h.gql(bad, {}, await h.token('sup-west'))).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
  });

  it('agentState answers one agent inside the caller\'s scope, after the read model has it', async () => {
    await h.gql('mutation { agentLogin(extension: "3001") { position } }', {}, await h.token('agent-sh'));
    await rebuild('all', { pool: h.pool, store: h.store });
    const q = '{ agentState(agentId: "agent-sh") { status extension } }';
    expect((await h.gql(q, {}, await h.token('sup-east'))).data.agentState).toMatchObject({ extension: '3001' });
    expect((await h.gql(q, {}, await h.token('sup-west'))).data.agentState).toBeNull();
    expect((await h.gql(q, {}, await h.token('agent-east'))).data.agentState).toBeNull();
  });

  it('importMissedCalls turns unanswered inbound callers since an instant into leads of the campaign, once', async () => {
    const sup = await h.token('sup-east');
    expect((await h.gql('mutation { createCampaign(id: "camp-m", input: { name: "未接回拨", dialMode: PREVIEW, departmentId: "east" }) { position } }', {}, sup)).errors).toBeUndefined();
    const at = new Date().toISOString();
    await h.store.append('call-m1', [
      { type: 'CallReceived', data: { callId: 'm1', phone: '+8613100131000', did: '4008001234', at } },
      { type: 'CallAbandoned', data: { callId: 'm1', at } },
    ]);
    await h.store.append('call-m2', [
      { type: 'CallReceived', data: { callId: 'm2', phone: '+8613200132000', did: '4008001234', at } },
      { type: 'CallBridged', data: { callId: 'm2', agentId: 'agent-east', at } },
      { type: 'CallEnded', data: { callId: 'm2', at } },
    ]);
    const m = 'mutation($s: DateTime!) { importMissedCalls(since: $s, campaignId: "camp-m", commandId: "mc-1") { streamId repeated } }';
    const since = new Date(Date.now() - 60_000).toISOString();
    expect((await h.gql(m, { s: since }, await h.token('sup-west'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    const r = await h.gql(m, { s: since }, sup);
    expect(r.errors).toBeUndefined();
    const [finished] = await h.store.readStream(r.data.importMissedCalls.streamId);
    expect(finished.data).toMatchObject({ source: 'missed_call', campaignId: 'camp-m', imported: 1 });
    const [lead] = await h.store.readStream('lead-+8613100131000');
    expect(lead.data).toMatchObject({ source: 'missed_call', batchId: 'missed-camp-m' });
    expect(await h.store.readStream('lead-+8613200132000')).toEqual([]);
    expect((await h.gql(m, { s: since }, sup)).data.importMissedCalls).toEqual({ streamId: r.data.importMissedCalls.streamId, repeated: true });
  });

  it('completeCallback closes the owner\'s callback; a colleague may not take over a private one', async () => {
    const due = new Date(Date.now() + 3600_000).toISOString();
    const agent = await h.token('agent-east');
    expect((await h.gql('mutation { createLead(phone: "13300133000", campaignId: "camp-m") { position } }', {}, agent)).errors).toBeUndefined();
    const s = await h.gql('mutation($d: DateTime!) { scheduleCallback(leadId: "13300133000", dueAt: $d) { events { type } } }', { d: due }, agent);
    expect(s.errors).toBeUndefined();
    const [scheduled] = (await h.store.readStream('lead-+8613300133000')).filter((e) => e.type === 'LeadCallbackScheduled');
    const callbackId = (scheduled.data as any).callbackId as string;
    await rebuild('all', { pool: h.pool, store: h.store });
    const done = 'mutation($id: ID!) { completeCallback(callbackId: $id) { events { type } } }';
    expect((await h.gql(done, { id: callbackId }, await h.token('agent-west'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(done, { id: callbackId }, await h.token('agent-east-2'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
    expect((await h.gql(done, { id: callbackId }, agent)).data.completeCallback.events).toEqual([{ type: 'LeadCallbackDone' }]);
    expect((await h.gql(done, { id: 'nope' }, agent)).errors?.[0].extensions.code).toBe('NOT_FOUND');
  });

  it('setIvrMenu publishes a new version each time and refuses targets it cannot route', async () => {
    const sup = await h.token('sup-east');
    const set = 'mutation($o: JSON!) { setIvrMenu(id: "main", input: { name: "主菜单", options: $o }) { events { type } } }';
    expect((await h.gql(set, { o: { '1': { queue: 'sales' } } }, sup)).data.setIvrMenu.events).toEqual([{ type: 'IvrMenuPublished' }]);
    expect((await h.gql(set, { o: { '1': { queue: 'sales' }, '0': { agent: 'agent-east' } } }, sup)).errors).toBeUndefined();
    expect((await h.store.readStream('ivr-main')).map((e) => (e.data as any).version)).toEqual([1, 2]);
    expect((await h.gql(set, { o: { '9': { menu: 'other' } } }, sup)).errors?.[0].extensions.code).toBe('BAD_USER_INPUT');
    expect((await h.gql(set, { o: { '1': { queue: 'sales' } } }, await h.token('agent-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });

  it('queues and ivrMenus show what was configured, queues only inside the caller\'s departments', async () => {
    const east = await h.token('sup-east');
    expect((await h.gql('mutation { createQueue(id: "q-east", input: { name: "华东售前", strategy: ROUND_ROBIN, maxWaitSeconds: 90, departmentId: "east" }) { position } }', {}, east)).errors).toBeUndefined();
    const list = await h.gql('{ queues { id name strategy maxWaitSeconds department { id } state { waiting agentsAvailable } } }', {}, east);
    expect(list.errors).toBeUndefined();
    expect(list.data.queues).toEqual([{ id: 'q-east', name: '华东售前', strategy: 'ROUND_ROBIN', maxWaitSeconds: 90, department: { id: 'east' }, state: { waiting: 0, agentsAvailable: expect.any(Number) } }]);
    expect((await h.gql('{ queue(id: "q-west") { maxWaitSeconds } }', {}, await h.token('sup-west'))).data.queue).toEqual({ maxWaitSeconds: 60 });
    expect((await h.gql('{ queue(id: "q-west") { id } }', {}, east)).data.queue).toBeNull();
    const menus = await h.gql('{ ivrMenus { id name options } }', {}, east);
    expect(menus.data.ivrMenus.find((m: any) => m.id === 'main')).toEqual({ id: 'main', name: '主菜单', options: { '1': { queue: 'sales' }, '0': { agent: 'agent-east' } } });
  });

  it('qaScores lists scored calls of the caller\'s scope with the call, agent and reviewer', async () => {
    const criteria = [{ id: 'greeting', label: '开场白', weight: 40 }, { id: 'compliance', label: '合规', weight: 60 }];
    await handleCommand(h.store, scorecardDecider, 'std', { type: 'DefineScorecard', data: { scorecardId: 'std', name: '标准', criteria }, meta: { now: new Date().toISOString(), actorId: 'admin', actorRole: 'admin' } } as ScorecardCommand);
    const at = new Date().toISOString();
    await h.store.append('call-q1', [
      { type: 'CallDialAttempted', data: { callId: 'q1', phone: '+8613800138009', agentId: 'agent-east', direction: 'outbound', attempt: 1, at, compliance: { allowed: true, reasons: [], inputs: {} } } },
      { type: 'CallBridged', data: { callId: 'q1', agentId: 'agent-east', at } },
      { type: 'CallEnded', data: { callId: 'q1', cause: 'NORMAL_CLEARING', hangupBy: 'agent', at } },
    ]);
    const score = await h.gql('mutation { scoreCall(callId: "q1", scorecard: "std", items: { greeting: 30, compliance: 60 }) { position } }', {}, await h.token('qa-east'));
    expect(score.errors).toBeUndefined();
    await rebuild('all', { pool: h.pool, store: h.store });
    const Q = '{ qaScores { nodes { call { id } agent { id } reviewer { id } scorecard items total max } pageInfo { totalCount } } }';
    const east = await h.gql(Q, {}, await h.token('sup-east'));
    expect(east.errors).toBeUndefined();
    expect(east.data.qaScores.nodes).toEqual([{ call: { id: 'q1' }, agent: { id: 'agent-east' }, reviewer: { id: 'qa-east' }, scorecard: 'std', items: { greeting: 30, compliance: 60 }, total: 90, max: 100 }]);
    expect((await h.gql(Q, {}, await h.token('sup-west'))).data.qaScores.nodes).toEqual([]);
    expect((await h.gql(Q, {}, await h.token('agent-east'))).data.qaScores.nodes).toHaveLength(1);
    expect((await h.gql(Q, {}, await h.token('agent-east-2'))).data.qaScores.nodes).toEqual([]);
  });

  it('qaQueue offers recorded calls of the reviewer\'s scope that nobody has scored', async () => {
    const at = new Date().toISOString();
    for (const id of ['r1', 'r2'])
      await h.store.append(`call-${id}`, [
        { type: 'CallDialAttempted', data: { callId: id, phone: '+8613800138010', agentId: 'agent-east', direction: 'outbound', attempt: 1, at, compliance: { allowed: true, reasons: [], inputs: {} } } },
        { type: 'CallBridged', data: { callId: id, agentId: 'agent-east', at } },
        { type: 'CallRecordingStarted', data: { callId: id, recordingId: `rec-${id}`, file: `${id}.wav`, at } },
        { type: 'CallRecordingStopped', data: { callId: id, recordingId: `rec-${id}`, file: `${id}.wav`, sha256: 'ab', durationMs: 1000, at } },
        { type: 'CallEnded', data: { callId: id, cause: 'NORMAL_CLEARING', hangupBy: 'agent', at } },
      ]);
    await h.gql('mutation { scoreCall(callId: "r2", scorecard: "std", items: { greeting: 40, compliance: 60 }) { position } }', {}, await h.token('qa-east'));
    await rebuild('all', { pool: h.pool, store: h.store });
    const Q = '{ qaQueue { nodes { id } } }';
    const ids = (await h.gql(Q, {}, await h.token('qa-east'))).data.qaQueue.nodes.map((n: any) => n.id);
    expect(ids).toContain('r1');
    expect(ids).not.toContain('r2');
    expect((await h.gql(Q, {}, await h.token('sup-west'))).data.qaQueue.nodes).toEqual([]);
    expect((await h.gql(Q, {}, await h.token('agent-east'))).errors?.[0].extensions.code).toBe('FORBIDDEN');
  });
});
