import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresEventStore } from '../../src/eventstore/postgres/postgresEventStore.ts';
import { callControlPort } from '../../src/telephony/callControlPort.ts';
import type { MediaServer } from '../../src/telephony/session/mediaServer.ts';
import { createTestDatabase } from '../support/db.ts';

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

  it('numbers each manual dial to a number after the dials before it (attempt n + 1)', async () => {
    const NUM = '+8613600136000';
    const port = callControlPort({ store, media, customerDial: (n) => `sofia/gateway/demo/${n}` });
    const attemptOf = async (callId: string) =>
      (await store.readStream(`call-${callId}`)).map((e) => e.data as { attempt?: number }).find((d) => d.attempt !== undefined)?.attempt;
    await port.dial({ callId: 'manual-n1', phone: NUM, agentId: 'a1' }).catch(() => undefined);
    await port.dial({ callId: 'manual-n2', phone: NUM, agentId: 'a1' }).catch(() => undefined);
    expect(await attemptOf('manual-n1')).toBe(1);
    expect(await attemptOf('manual-n2')).toBe(2);
  });
});
