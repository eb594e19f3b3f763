import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import type { LeadCommand } from '../../src/domain/lead/commands.ts';
import { leadDecider } from '../../src/domain/lead/decider.ts';
import { startServer, type Harness } from './harness.ts';

let h: Harness;
const code = (r: { errors?: any[] }) => r.errors?.[0]?.extensions?.code;
const PHONE = '+8613800138888';

beforeAll(async () => {
  h = await startServer({}, 'api_audit');
  const now = new Date().toISOString();
  await handleCommand(h.store, leadDecider, PHONE, { type: 'ImportLead', data: { phone: PHONE, source: 'file', departmentId: 'east', name: '王女士' }, meta: { now, actorRole: 'system' } } as LeadCommand);
  await h.gql('mutation { claimLead(leadId: "+8613800138888") { position } }', {}, await h.token('agent-east'));
  const at = new Date().toISOString();
  await h.store.append('call-a1', [
    { type: 'CallDialAttempted', data: { callId: 'a1', phone: PHONE, agentId: 'agent-east', direction: 'outbound', attempt: 1, at, compliance: { allowed: true, reasons: [] } } },
    { type: 'CallBridged', data: { callId: 'a1', agentId: 'agent-east', at } },
    { type: 'CallRecordingStopped', data: { callId: 'a1', recordingId: 'rec-a1', file: 'a1.wav', sha256: 'f'.repeat(64), durationMs: 61000, at } },
  ]);
});
afterAll(() => h?.close());

const HISTORY = 'query($s: String!, $p: Position) { history(stream: $s, asOf: { position: $p }) { version events { type revision position hash prevHash metadata } } }';

describe('audit', () => {
  it('replays a stream as of a position', async () => {
    const token = await h.token('auditor');
    const all = await h.gql('query($s: String!) { history(stream: $s) { version events { type position } } }', { s: `lead-${PHONE}` }, token);
    expect(all.data.history.events.map((e: any) => e.type)).toEqual(['LeadImported', 'LeadClaimed']);
    const before = await h.gql(HISTORY, { s: `lead-${PHONE}`, p: all.data.history.events[0].position }, token);
    expect(before.data.history.version).toBe(1);
    expect(before.data.history.events[0].metadata.actorRole).toBe('system');
    expect(code(await h.gql('{ history(stream: "x", asOf: { at: "2026-01-01T00:00:00Z", position: 3 }) { version } }', {}, token))).toBe('BAD_USER_INPUT');
  });

  it('names the person behind each event, and nobody for the system or a bot', async () => {
    const at = new Date().toISOString();
    const meta = (actorId: string, actorRole: string) => ({ actorId, actorRole, occurredAt: at });
    await h.store.append('call-a2', [
      { type: 'CallDialAttempted', data: { callId: 'a2', phone: '+8613800139999', agentId: 'agent-east', direction: 'outbound', attempt: 1, at, compliance: { allowed: true, reasons: [] } }, metadata: meta('dialer', 'system') },
      { type: 'CallMonitored', data: { callId: 'a2', supervisorId: 'sup-east', mode: 'listen', at }, metadata: meta('sup-east', 'supervisor') },
      { type: 'CallDispositioned', data: { callId: 'a2', disposition: 'sale', at }, metadata: meta('agent-east', 'agent') },
      { type: 'CallDispositioned', data: { callId: 'a2', disposition: 'sale', at }, metadata: meta('agent-east', 'agent') },
    ]);
    const r = await h.gql('{ history(stream: "call-a2") { events { type actor { id displayName role } } } }', {}, await h.token('auditor'));
    expect(r.errors).toBeUndefined();
    expect(r.data.history.events.map((e: any) => e.actor)).toEqual([
      null,
      { id: 'sup-east', displayName: 'sup-east', role: 'SUPERVISOR' },
      { id: 'agent-east', displayName: 'agent-east', role: 'AGENT' },
      { id: 'agent-east', displayName: 'agent-east', role: 'AGENT' },
    ]);
  });

  it('lets people read only the streams of their scope', async () => {
    expect(code(await h.gql(HISTORY, { s: 'call-a1' }, await h.token('agent-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(HISTORY, { s: 'call-a1' }, await h.token('sup-west')))).toBe('FORBIDDEN');
    expect(code(await h.gql(HISTORY, { s: 'campaign-x' }, await h.token('sup-east')))).toBe('FORBIDDEN');
    await new Promise((r) => setTimeout(r, 300)); // the API read model learns who took call a1
    const mine = await h.gql(HISTORY, { s: 'call-a1' }, await h.token('agent-east'));
    expect(mine.data?.history.version, JSON.stringify(mine.errors)).toBe(3);
    expect((await h.gql(HISTORY, { s: `lead-${PHONE}` }, await h.token('sup-east'))).data.history.version).toBe(2);
  });

  it('verifies chains and names the first altered event', async () => {
    const token = await h.token('auditor');
    expect((await h.gql('{ verify { ok checked } }', {}, token)).data.verify.ok).toBe(true);
    expect(code(await h.gql('{ verify { ok } }', {}, await h.token('sup-east')))).toBe('FORBIDDEN');
    // Someone with database access rewrites history.
    const url = (h.store as any).pool.options.connectionString as string;
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`UPDATE events SET data = jsonb_set(data, '{agentId}', '"agent-west"') WHERE stream_id = 'call-a1' AND revision = 2`);
    await client.end();
    const r = await h.gql('{ verify(stream: "call-a1") { ok summary problem { kind streamId revision } } }', {}, token);
    expect(r.data.verify).toMatchObject({ ok: false, problem: { kind: 'altered', streamId: 'call-a1', revision: 2 } });
  });

  it('exports an evidence bundle and records the export', async () => {
    const token = await h.token('auditor');
    const r = await h.gql('query($p: String!) { evidenceBundle(phone: $p) }', { p: '138 0013 8888' }, token);
    expect(r.errors).toBeUndefined();
    const b = r.data.evidenceBundle;
    expect(b.phone).toBe(PHONE);
    expect(b.ownership).toEqual([expect.objectContaining({ type: 'LeadClaimed', agentId: 'agent-east' })]);
    expect(b.calls.map((c: any) => c.callId)).toEqual(['a1']);
    expect(b.recordings).toEqual([expect.objectContaining({ recordingId: 'rec-a1', sha256: 'f'.repeat(64) })]);
    expect(b.lead.every((e: any) => /^[0-9a-f]{64}$/.test(e.hash))).toBe(true);
    const exported = await h.store.readStream(`evidence-${PHONE}`);
    expect(exported.at(-1)).toMatchObject({ type: 'EvidenceBundleExported', data: { userId: 'auditor' } });
    expect(code(await h.gql('query($p: String!) { evidenceBundle(phone: $p) }', { p: PHONE }, await h.token('agent-east')))).toBe('FORBIDDEN');
  });

  it('shows the compliance and routing receipts of a call, and the DNC flag', async () => {
    const r = await h.gql('{ callReceipts(callId: "a1") { compliance { check passed } routing { decision details } } }', {}, await h.token('auditor'));
    expect(r.data.callReceipts.compliance).toEqual([{ check: 'ALL_CHECKS', passed: true }]);
    expect(r.data.callReceipts.routing).toEqual([{ decision: 'CallBridged', details: expect.objectContaining({ callId: 'a1' }) }]); // (its agent was rewritten by the tampering test above)
    expect(code(await h.gql('{ callReceipts(callId: "a1") { callId } }', {}, await h.token('agent-west')))).toBe('FORBIDDEN');
    const token = await h.token('agent-east');
    expect((await h.gql('{ isDnc(phone: "13800138888") }', {}, token)).data.isDnc).toBe(false);
    await h.gql('mutation { addToDnc(phone: "13800138888", reason: "客户要求不再来电") { position } }', {}, token);
    expect((await h.gql('{ isDnc(phone: "13800138888") }', {}, token)).data.isDnc).toBe(true);
  });
});
