import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { blacklistDecider } from '../../src/domain/blacklist/decider.ts';
import { blacklistStreamId } from '../../src/domain/blacklist/streams.ts';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { IVR_DID, routed, rulesTo, startRouting } from './ivrSupport.ts';

let floor: Floor;
let inbound: Inbound;
beforeAll(async () => {
  floor = await openFloor();
  inbound = await startRouting(floor, () => rulesTo('no-such-menu', 'q-routing'));
});
afterAll(async () => {
  await inbound.stop();
  await floor.close();
});

const BAD = '+8613900000777';
const meta = (n: number) => ({ now: new Date().toISOString(), commandId: `bl-${n}`, actorId: 'admin-1', actorRole: 'admin' as const });

describe('inbound callers on the operator blacklist (from the log)', () => {
  it('are rejected on the switch, the decision naming blacklist@<position>; taken off the list, they get through', async () => {
    await handleCommand(floor.store, blacklistDecider, BAD, { type: 'BlacklistNumber', data: { phone: BAD, reason: '骚扰 abusive caller' }, meta: meta(1) });
    const listedAt = (await floor.events(blacklistStreamId(BAD))).at(-1)!.position;

    const id = floor.sim.inboundCall('13900000777', IVR_DID);
    const d = await routed(floor, id);
    expect(d).toMatchObject({ rule: 'blacklist', destination: { kind: 'reject' }, inputs: { blacklist: `blacklist@${listedAt}` } });
    expect(d.reason).toContain('operator blacklist');
    await until('rejected on the switch', () => floor.facts.find((f) => f.kind === 'hung-up' && f.callId === id));
    expect((floor.facts.find((f) => f.kind === 'hung-up' && f.callId === id) as { cause: string }).cause).toBe('CALL_REJECTED');

    await handleCommand(floor.store, blacklistDecider, BAD, { type: 'UnblacklistNumber', data: { reason: 'listed by mistake' }, meta: meta(2) });
    const clearedAt = (await floor.events(blacklistStreamId(BAD))).at(-1)!.position;
    const again = floor.sim.inboundCall('13900000777', IVR_DID);
    const d2 = await routed(floor, again);
    expect(d2.rule).not.toBe('blacklist');
    expect(d2.inputs.blacklist).toBe(`blacklist@${clearedAt}`);
  });
});
