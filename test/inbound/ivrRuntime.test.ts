import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { handleCommand } from '../../src/commands/handleCommand.ts';
import { ivrDecider } from '../../src/domain/ivr/decider.ts';
import type { IvrMenu } from '../../src/domain/ivr/events.ts';
import { recover, VANISHED } from '../../src/telephony/recovery/reconcile.ts';
import { until } from '../telephony/session/harness.ts';
import { callEvents, callerInMenu, heardPrompts, ivrFloorEachTest, ivrTimers, publish, rootMenu, startIvr, untilEvent, waitingForKey } from './ivrSupport.ts';

const ivr = ivrFloorEachTest();

const types = async (id: string) => (await callEvents(ivr.floor, id)).map((e) => e.type);

describe('IVR menu on the call session', () => {
  it('answers the caller, plays the menu and queues them where their key leads', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    const prompt = ivr.floor.facts.find((f) => f.kind === 'playback-started' && f.callId === id) as { path: string };
    expect(prompt.path).toBe('say:销售请按1，售后服务请按2');
    ivr.floor.sim.injectDtmf(id, '2');
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    expect(events.map((e) => e.type).slice(0, 7)).toEqual(['CallReceived', 'InboundCallRouted', 'CallAnswered', 'IvrEntered', 'IvrDigitReceived', 'IvrExited', 'CallQueued']);
    const data = (type: string) => events.find((e) => e.type === type)?.data;
    expect(data('IvrEntered')).toMatchObject({ callId: id, menuId: ivr.menuId, version: 1, nodeId: 'root' });
    expect(data('IvrDigitReceived')).toMatchObject({ nodeId: 'root', digit: '2', valid: true, target: { kind: 'queue', id: ivr.queues.service } });
    expect(data('IvrExited')).toMatchObject({ nodeId: 'root', reason: 'KEY_PRESSED', target: { kind: 'queue', id: ivr.queues.service } });
    expect(data('CallQueued')).toMatchObject({ queueId: ivr.queues.service });
    // Answered once, by the IVR: the queue did not answer again.
    expect(events.filter((e) => e.type === 'CallAnswered')).toHaveLength(1);
    await until('waiting in the queue', () => ivr.floor.server.endpoint(id)?.status === 'queued');
    expect(ivrTimers(ivr.floor, id)).toEqual([]);
  });

  it('a wrong key replays the prompt and a right key then leads on', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    ivr.floor.sim.injectDtmf(id, '9');
    await heardPrompts(ivr.floor, id, 2);
    ivr.floor.sim.injectDtmf(id, '1');
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    const digits = events.filter((e) => e.type === 'IvrDigitReceived').map((e) => e.data);
    expect(digits).toMatchObject([
      { digit: '9', valid: false, retry: 1 },
      { digit: '1', valid: true, target: { kind: 'queue', id: ivr.queues.sales } },
    ]);
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: ivr.queues.sales });
  });

  it('silence past the retries takes the node’s failure target, each timeout recorded', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues, { maxRetries: 1, onFailure: { kind: 'queue', id: ivr.queues.sales } }));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    await waitingForKey(ivr.floor, id, 1);
    // Not yet: the caller has 5 s after the prompt.
    await ivr.floor.advance(4_000);
    expect(await types(id)).not.toContain('IvrTimedOut');
    await ivr.floor.advance(1_000);
    await untilEvent(ivr.floor, id, 'IvrTimedOut');
    await waitingForKey(ivr.floor, id, 2);
    await ivr.floor.advance(5_000);
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    expect(events.filter((e) => e.type === 'IvrTimedOut').map((e) => e.data)).toMatchObject([
      { nodeId: 'root', retry: 1 },
      { nodeId: 'root', retry: 2 },
    ]);
    expect(events.find((e) => e.type === 'IvrExited')?.data).toMatchObject({ reason: 'NO_VALID_INPUT', target: { kind: 'queue', id: ivr.queues.sales } });
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: ivr.queues.sales });
  });

  it('an edit published while a caller is in the menu applies to the next caller; the first keeps their version', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const first = await callerInMenu(ivr.floor);
    const moved = `q-moved-${randomUUID()}`;
    await publish(ivr.floor, ivr.menuId, rootMenu({ sales: ivr.queues.sales, service: moved }), 1);
    const second = await callerInMenu(ivr.floor);
    ivr.floor.sim.injectDtmf(first, '2');
    ivr.floor.sim.injectDtmf(second, '2');
    const a = await untilEvent(ivr.floor, first, 'CallQueued');
    const b = await untilEvent(ivr.floor, second, 'CallQueued');
    expect(a.find((e) => e.type === 'IvrEntered')?.data).toMatchObject({ version: 1 });
    expect(a.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: ivr.queues.service });
    expect(b.find((e) => e.type === 'IvrEntered')?.data).toMatchObject({ version: 2 });
    expect(b.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: moved });
  });

  it('a caller hanging up in the menu is an abandon in the IVR, and no input timer is left', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    await waitingForKey(ivr.floor, id, 1);
    await ivr.floor.advance(3_000);
    ivr.floor.sim.remoteHangup(id);
    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    expect(events.find((e) => e.type === 'CallAbandoned')?.data).toMatchObject({ reason: 'IN_IVR', waitedMs: 3_000 });
    expect(events.find((e) => e.type === 'CallEnded')?.data).toMatchObject({ hangupBy: 'caller' });
    expect(ivrTimers(ivr.floor, id)).toEqual([]);
    expect(ivr.inbound.ivr.inMenu()).toBe(0);
    // Time moving on does nothing more to the call.
    await ivr.floor.advance(10_000);
    expect((await types(id)).filter((t) => t.startsWith('Ivr'))).toEqual(['IvrEntered']);
  });

  it('a caller who hangs up before the menu answers leaves nothing behind: the call ends, recorded', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = ivr.floor.sim.inboundCall('13800138002', '+862180000009');
    ivr.floor.sim.remoteHangup(id);
    const events = await untilEvent(ivr.floor, id, 'CallEnded');
    expect(events.find((e) => e.type === 'CallEnded')?.data).toMatchObject({ hangupBy: 'caller' });
    await ivr.floor.server.idle();
    expect(ivr.inbound.ivr.inMenu()).toBe(0);
    expect(ivrTimers(ivr.floor, id)).toEqual([]);
  });

  it('a caller lost with the switch (restart, no hangup heard) is ended as vanished, with no timer or state left', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    await waitingForKey(ivr.floor, id, 1);
    ivr.floor.sim.restart();
    const events = await untilEvent(ivr.floor, id, 'CallEnded', 1);
    expect(events.find((e) => e.type === 'CallEnded')?.data).toMatchObject({ cause: VANISHED, hangupBy: 'system' });
    expect(events.map((e) => e.type)).not.toContain('CallAbandoned');
    expect(ivrTimers(ivr.floor, id)).toEqual([]);
    expect(ivr.inbound.ivr.inMenu()).toBe(0);
  });

  it('after an ESL reconnect a caller still in the menu hears the prompt again (a key or the prompt end may have been missed) and goes on', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    await waitingForKey(ivr.floor, id, 1);
    const [before] = ivrTimers(ivr.floor, id);
    ivr.floor.sim.dropConnections('rst');
    await heardPrompts(ivr.floor, id, 2);
    expect(ivrTimers(ivr.floor, id).map((t) => t.timerId)).not.toContain(before.timerId);
    ivr.floor.sim.injectDtmf(id, '1');
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: ivr.queues.sales });
  });

  it('a menu that was never published sends the caller to the default queue, saying why', async () => {
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId, ivr.queues.service);
    const id = ivr.floor.sim.inboundCall('13800138000', '+862180000009');
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    expect(events.find((e) => e.type === 'IvrUnavailable')?.data).toMatchObject({ menuId: ivr.menuId, reason: `IVR menu ${ivr.menuId} is not published`, fallback: { kind: 'queue', id: ivr.queues.service } });
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: ivr.queues.service });
    await until('no IVR state', () => ivr.inbound!.ivr.inMenu() === 0);
  });

  it('a removed menu is absent for new callers: they go to the default queue, with the removal as reason; publishing it again brings it back', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId, ivr.queues.service);
    await handleCommand(ivr.floor.store, ivrDecider, ivr.menuId, {
      type: 'RemoveIvrMenu', data: { reason: '热线停用 line closed' }, meta: { now: new Date(ivr.floor.clock.now()).toISOString(), actorId: 'admin-1', actorRole: 'admin' },
    });
    const id = ivr.floor.sim.inboundCall('13800138001', '+862180000009');
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    expect(events.map((e) => e.type)).not.toContain('IvrEntered');
    expect(events.find((e) => e.type === 'IvrUnavailable')?.data).toMatchObject({ reason: `IVR menu ${ivr.menuId} was removed`, fallback: { kind: 'queue', id: ivr.queues.service } });
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues), 1);
    const again = await callerInMenu(ivr.floor);
    expect((await untilEvent(ivr.floor, again, 'IvrEntered')).find((e) => e.type === 'IvrEntered')?.data).toMatchObject({ menuId: ivr.menuId, version: 2 });
  });

  describe('a two-level menu', () => {
    const menu = (): IvrMenu => ({
      rootNodeId: 'root',
      nodes: [
        {
          id: 'root',
          promptText: '账单请按1，留言请按3，优先服务请按0，挂机请按9',
          choices: {
            '1': { kind: 'node', id: 'billing' },
            '3': { kind: 'voicemail', id: 'vm-service' },
            '0': { kind: 'queue', id: ivr.queues.service, priority: 10 },
            '9': { kind: 'hangup' },
          },
          timeoutSeconds: 5,
          maxRetries: 1,
          onFailure: { kind: 'hangup' },
        },
        { id: 'billing', promptFile: 'billing.wav', choices: { '1': { kind: 'queue', id: ivr.queues.sales } }, timeoutSeconds: 5, maxRetries: 0, onFailure: { kind: 'queue', id: ivr.queues.service } },
      ],
    });

    it('a key leads to the next node, whose uploaded prompt plays from the prompts folder; its key then queues the caller', async () => {
      await publish(ivr.floor, ivr.menuId, menu());
      ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
      const id = await callerInMenu(ivr.floor);
      ivr.floor.sim.injectDtmf(id, '1');
      await heardPrompts(ivr.floor, id, 2);
      const second = ivr.floor.facts.filter((f) => f.kind === 'playback-started' && f.callId === id)[1] as { path: string };
      expect(second.path).toBe(path.join(ivr.floor.recordingsDir, 'prompts', 'billing.wav'));
      ivr.floor.sim.injectDtmf(id, '1');
      const events = await untilEvent(ivr.floor, id, 'CallQueued');
      expect(events.filter((e) => e.type === 'IvrDigitReceived').map((e) => e.data)).toMatchObject([
        { nodeId: 'root', digit: '1', valid: true, target: { kind: 'node', id: 'billing' } },
        { nodeId: 'billing', digit: '1', valid: true },
      ]);
      expect(events.find((e) => e.type === 'IvrExited')?.data).toMatchObject({ nodeId: 'billing', target: { kind: 'queue', id: ivr.queues.sales } });
    });

    it('a key with priority queues the caller ahead of others', async () => {
      await publish(ivr.floor, ivr.menuId, menu());
      ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
      const id = await callerInMenu(ivr.floor);
      ivr.floor.sim.injectDtmf(id, '0');
      await untilEvent(ivr.floor, id, 'CallQueued');
      expect(ivr.floor.server.endpoint(id)?.options).toMatchObject({ queueId: ivr.queues.service, priority: 10 });
    });

    it('a hangup key ends the call from our side: no abandon', async () => {
      await publish(ivr.floor, ivr.menuId, menu());
      ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
      const id = await callerInMenu(ivr.floor);
      ivr.floor.sim.injectDtmf(id, '9');
      const events = await untilEvent(ivr.floor, id, 'CallEnded');
      expect(events.find((e) => e.type === 'IvrExited')?.data).toMatchObject({ target: { kind: 'hangup' }, reason: 'KEY_PRESSED' });
      expect(events.map((e) => e.type)).not.toContain('CallAbandoned');
      expect(events.find((e) => e.type === 'CallEnded')?.data).toMatchObject({ hangupBy: 'system' });
    });

    it('a voicemail key takes a message', async () => {
      await publish(ivr.floor, ivr.menuId, menu());
      ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
      const id = await callerInMenu(ivr.floor);
      ivr.floor.sim.injectDtmf(id, '3');
      await until('recording', () => ivr.floor.facts.some((f) => f.kind === 'recording-started' && f.callId === id));
      await new Promise((r) => setTimeout(r, 100));
      ivr.floor.sim.remoteHangup(id);
      const events = await untilEvent(ivr.floor, id, 'CallEnded');
      expect(events.find((e) => e.type === 'IvrExited')?.data).toMatchObject({ target: { kind: 'voicemail', id: 'vm-service' } });
      expect(events.find((e) => e.type === 'VoicemailLeft')?.data).toMatchObject({ callId: id, queueId: 'vm-service' });
      expect(events.map((e) => e.type)).not.toContain('CallAbandoned');
    });
  });

  it('after a restart a caller who was in the menu hears their prompt again, in the version they entered, and goes on', async () => {
    await publish(ivr.floor, ivr.menuId, rootMenu(ivr.queues));
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    const id = await callerInMenu(ivr.floor);
    await waitingForKey(ivr.floor, id, 1);
    const [before] = ivrTimers(ivr.floor, id);
    await publish(ivr.floor, ivr.menuId, rootMenu({ sales: ivr.queues.sales, service: `q-v2-${randomUUID()}` }), 1);
    await ivr.inbound.stop();
    await ivr.floor.restartProcess();
    await recover(ivr.floor.server);
    ivr.inbound = await startIvr(ivr.floor, ivr.menuId);
    expect(ivr.inbound.ivr.inMenu()).toBe(1);
    await heardPrompts(ivr.floor, id, 2);
    // The input timer from before the restart is cancelled; the replayed prompt sets its own.
    expect(ivrTimers(ivr.floor, id).map((t) => t.timerId)).not.toContain(before.timerId);
    ivr.floor.sim.injectDtmf(id, '2');
    const events = await untilEvent(ivr.floor, id, 'CallQueued');
    expect(events.find((e) => e.type === 'CallQueued')?.data).toMatchObject({ queueId: ivr.queues.service });
    expect(events.filter((e) => e.type.startsWith('Ivr')).map((e) => e.type)).toEqual(['IvrEntered', 'IvrDigitReceived', 'IvrExited']);
  });
});
