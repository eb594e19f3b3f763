import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Inbound } from '../../src/inbound/startInbound.ts';
import { openFloor, until, type Floor } from '../telephony/session/harness.ts';
import { callerInMenu, publish, rootMenu, startIvr, untilEvent } from './ivrSupport.ts';

let floor: Floor;
let inbound: Inbound | undefined;
beforeEach(async () => {
  floor = await openFloor();
});
afterEach(async () => {
  await inbound?.stop();
  await floor.close();
});

describe('a key pressed during a prompt', () => {
  it('cuts the prompt on the switch (PLAYBACK_STOP break) and the caller goes on at once', async () => {
    // A minute-long prompt: without barge-in the caller would sit through it.
    floor.sim.switch.options.playbackMs = 60_000;
    const menuId = `m-${randomUUID()}`;
    const queues = { sales: `q-${randomUUID()}`, service: `q-${randomUUID()}` };
    await publish(floor, menuId, rootMenu(queues));
    inbound = await startIvr(floor, menuId);
    const id = await callerInMenu(floor);
    floor.sim.injectDtmf(id, '1');
    const stopped = await until('the prompt cut', () => floor.facts.find((f) => f.kind === 'playback-stopped' && f.callId === id));
    expect(stopped).toMatchObject({ status: 'break' });
    const events = await untilEvent(floor, id, 'IvrExited');
    expect(events.find((e) => e.type === 'IvrExited')?.data).toMatchObject({ target: { kind: 'queue', id: queues.sales }, reason: 'KEY_PRESSED' });
  });
});
