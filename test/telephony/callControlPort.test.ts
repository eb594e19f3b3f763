import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agentStreamId } from '../../src/domain/agent/streams.ts';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { callControlPort, RETRY_LOOKBACK } from '../../src/telephony/callControlPort.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { agentLegId } from '../../src/telephony/session/callEndpoint.ts';
import { createTestDatabase } from '../support/db.ts';
import { openFloor, until, type Floor } from './session/harness.ts';

const P = '+8613800138000';
const FRESH = '+8613900139000';

// Click-to-dial counts a number's attempts from the whole log, so a number dialed long ago still counts
// against its cap.
describe('click-to-dial compliance reads its inputs from the log', () => {
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let store: PostgresEventStore;
  const switchDials: unknown[] = [];
  // Only the switch side is a double: the refusal must happen before it is asked to dial.
  const media = { clickToDial: async (r: unknown) => void switchDials.push(r) } as unknown as MediaServer;

  beforeAll(async () => {
    db = await createTestDatabase('call_control_port');
    store = await PostgresEventStore.connect(db.url, { pollIntervalMs: 50 });
    for (let i = 0; i < 10; i++) {
      const at = new Date(Date.UTC(2026, 0, 1 + i, 2)).toISOString();
      await store.append(`call-old-${i}`, [{ type: 'CallDialAttempted', data: { callId: `old-${i}`, at, phone: P, direction: 'outbound', attempt: 1, compliance: { allowed: true, reasons: [] } }, metadata: { occurredAt: at } }]);
    }
  });
  afterAll(async () => {
    await store.close();
    await db.close();
  });

  it('refuses a manual dial to a number at its attempt cap, records the refusal, and never reaches the switch', async () => {
    const port = callControlPort({ store, media, customerDial: (n) => `sofia/gateway/demo/${n}` });
    await expect(port.dial({ callId: 'manual-1', phone: P, agentId: 'a1' })).rejects.toMatchObject({ code: 'DIAL_REFUSED' });
    const events = await store.readStream('call-manual-1');
    const receipt = events.map((e) => e.data as { compliance?: { allowed: boolean; reasons: string[] } }).find((d) => d.compliance)?.compliance;
    expect(receipt?.allowed).toBe(false);
    expect(receipt?.reasons).toContain('MAX_ATTEMPTS');
    expect(switchDials).toHaveLength(0);
  });

  it('refuses a manual dial to a number on the do-not-call list, naming the list version in the receipt', async () => {
    const DNC = '+8613700137000';
    const { position } = await store.append('lead-dnc-1', [{ type: 'LeadDoNotCallAdded', data: { leadId: 'dnc-1', phone: DNC, reason: 'customer asked' } }]);
    const port = callControlPort({ store, media, customerDial: (n) => `sofia/gateway/demo/${n}` });
    await expect(port.dial({ callId: 'manual-3', phone: DNC, agentId: 'a1' })).rejects.toMatchObject({ code: 'DIAL_REFUSED' });
    const receipt = (await store.readStream('call-manual-3')).map((e) => e.data as { compliance?: { reasons: string[]; inputs?: unknown } }).find((d) => d.compliance)?.compliance;
    expect(receipt?.reasons).toContain('DO_NOT_CALL');
    expect(JSON.stringify(receipt)).toContain(`dnc@${position}`);
    expect(switchDials).toHaveLength(0);
  });

  it('a number never dialed is not refused for attempts', async () => {
    const port = callControlPort({ store, media, customerDial: (n) => `sofia/gateway/demo/${n}` });
    await port.dial({ callId: 'manual-2', phone: FRESH, agentId: 'a1' }).catch(() => undefined);
    const events = await store.readStream('call-manual-2');
    const receipt = events.map((e) => e.data as { compliance?: { reasons: string[] } }).find((d) => d.compliance)?.compliance;
    expect(receipt).toBeDefined();
    expect(receipt?.reasons).not.toContain('MAX_ATTEMPTS');
  });

  it('numbers each manual dial after the dials before it (attempt n + 1), and refuses a second one while the first is live', async () => {
    const NUM = '+8613600136000';
    // 10:00 in Beijing, inside the manual dial's calling hours whatever the wall clock says.
    const port = callControlPort({ store, media, customerDial: (n) => `sofia/gateway/demo/${n}`, now: () => Date.parse('2026-11-23T02:00:00Z') });
    const attemptOf = async (callId: string) =>
      (await store.readStream(`call-${callId}`)).map((e) => e.data as { attempt?: number }).find((d) => d.attempt !== undefined)?.attempt;
    await port.dial({ callId: 'manual-n1', phone: NUM, agentId: 'a1' }).catch(() => undefined);
    // While that call is live, a second click on the number is refused and records nothing.
    await expect(port.dial({ callId: 'manual-n1b', phone: NUM, agentId: 'a2' })).rejects.toMatchObject({ code: 'NUMBER_BUSY' });
    expect(await store.readStream('call-manual-n1b')).toHaveLength(0);
    await store.append('call-manual-n1', [{ type: 'CallEnded', data: { callId: 'manual-n1', cause: 'NO_ANSWER' } }]);
    await port.dial({ callId: 'manual-n2', phone: NUM, agentId: 'a1' }).catch(() => undefined);
    expect(await attemptOf('manual-n1')).toBe(1);
    expect(await attemptOf('manual-n2')).toBe(2);
  });
});

describe('the agent’s console buttons act on the live agent and the switch', () => {
  let floor: Floor;
  let port: ReturnType<typeof callControlPort>;
  beforeAll(async () => {
    // A long reservation: the agent's phone keeps ringing until the console answers it.
    floor = await openFloor({ reservationMs: 600_000 });
    port = callControlPort({ store: floor.store, media: floor.server, customerDial: (n) => `sofia/gateway/trunk/${n}` });
  });
  afterAll(async () => {
    await floor?.close();
  });

  async function offerCallTo(agentId: string, ext: string, number: string): Promise<string> {
    floor.sim.switch.agents.set(ext, { answer: false });
    expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: ext })).toBeUndefined();
    expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
    const callId = randomUUID();
    floor.sim.switch.customers.script(number, { kind: 'answer', ringMs: 300, talkMs: 600_000, machine: false, earlyMedia: false });
    await floor.server.dial({ callId, dial: `sofia/gateway/trunk/${number}` });
    await until('agent phone ringing', () => floor.server.agents.status(agentId) === 'ringing');
    return callId;
  }

  it('answers the call ringing at the agent, refuses when nothing is offered, and finishes wrap-up early', async () => {
    const agentId = `a-${randomUUID()}`;
    const other = `a-${randomUUID()}`;
    await expect(port.answer(agentId)).rejects.toMatchObject({ code: 'NOTHING_OFFERED' });
    const callId = await offerCallTo(agentId, '2001', '8613800138101');
    // Another logged-in agent cannot answer a call that is not offered to them.
    expect(await floor.server.agentCommand(other, { type: 'LOGIN', extension: '2002' })).toBeUndefined();
    await expect(port.answer(other)).rejects.toMatchObject({ code: 'NOTHING_OFFERED' });
    await expect(port.answer(agentId, 'some-other-call')).rejects.toMatchObject({ code: 'NOTHING_OFFERED' });
    // Wrap-up cannot be finished while the phone rings.
    await expect(port.finishWrapUp(agentId)).rejects.toMatchObject({ code: 'NOT_IN_WRAP_UP' });

    expect(await port.answer(agentId, callId)).toBe(callId);
    await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged');
    await floor.server.idle();
    expect(floor.sim.hears(callId)).toContain(agentLegId(callId, agentId));
    expect(floor.server.agents.status(agentId)).toBe('on-call');

    floor.sim.remoteHangup(callId, 'NORMAL_CLEARING');
    await until('wrap-up', () => floor.server.agents.status(agentId) === 'wrap-up');
    await floor.server.idle();
    await port.finishWrapUp(agentId);
    expect(floor.server.agents.status(agentId)).toBe('ready');
    const last = (await floor.events(agentStreamId(agentId))).at(-1)!;
    expect(last).toMatchObject({ type: 'AgentWrapUpEnded', metadata: { actorId: agentId, actorRole: 'agent' } });
    // The wrap-up timer is gone: it will not end a later wrap-up.
    expect(floor.scheduler.pendingTimers().filter((t) => t.kind === 'wrap-up-end')).toEqual([]);
    await expect(port.finishWrapUp(agentId)).rejects.toMatchObject({ code: 'NOT_IN_WRAP_UP' });
  });

  it('a repeated finishWrapUp is recognised from the agent\'s latest events, not by reading their whole history', async () => {
    const agentId = `a-${randomUUID()}`;
    expect(await floor.server.agentCommand(agentId, { type: 'LOGIN', extension: '2003' })).toBeUndefined();
    // A long shift: hundreds of state changes before this call.
    for (let i = 0; i < 150; i++) {
      expect(await floor.server.agentCommand(agentId, { type: 'READY' })).toBeUndefined();
      expect(await floor.server.agentCommand(agentId, { type: 'NOT_READY', reasonCode: 'break' })).toBeUndefined();
    }
    expect(await floor.server.agentCommand(agentId, { type: 'LOGOUT', reason: 'end of shift' })).toBeUndefined();
    // Agents of the tests before, still ready, would take the call.
    for (const a of floor.server.agents.all()) {
      if (floor.server.agents.status(a.agentId) === 'ready') expect(await floor.server.agentCommand(a.agentId, { type: 'NOT_READY', reasonCode: 'break' })).toBeUndefined();
    }
    const callId = await offerCallTo(agentId, '2003', '8613800138103');
    expect(await port.answer(agentId, callId)).toBe(callId);
    await until('bridged', () => floor.server.endpoint(callId)?.status === 'bridged');
    floor.sim.remoteHangup(callId, 'NORMAL_CLEARING');
    await until('wrap-up', () => floor.server.agents.status(agentId) === 'wrap-up');
    await floor.server.idle();
    expect((await floor.events(agentStreamId(agentId))).length).toBeGreaterThan(300);

    let read = 0;
    const counting = new Proxy(floor.store, {
      get(target, prop, receiver) {
        if (prop !== 'readStream') return Reflect.get(target, prop, receiver);
        return async (...args: Parameters<typeof target.readStream>) => {
          const events = await target.readStream(...args);
          if (args[0] === agentStreamId(agentId)) read += events.length;
          return events;
        };
      },
    });
    const bounded = callControlPort({ store: counting, media: floor.server, customerDial: (n) => `sofia/gateway/trunk/${n}` });
    await bounded.finishWrapUp(agentId, 'wrap-1');
    expect(floor.server.agents.status(agentId)).toBe('ready');
    await bounded.finishWrapUp(agentId, 'wrap-1'); // the same click again: not an error
    await expect(bounded.finishWrapUp(agentId, 'wrap-2')).rejects.toMatchObject({ code: 'NOT_IN_WRAP_UP' });
    expect(read).toBeLessThanOrEqual(2 * RETRY_LOOKBACK);
  });
});
