import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { QueueCommand } from './commands.ts';
import { DEFAULT_QUEUE_CONFIG, DEFAULT_QUEUE_PRIORITY, queueDecider } from './decider.ts';
import type { QueueEvent } from './events.ts';

const at = '2026-03-02T01:00:00.000Z';
const cmd = <C extends QueueCommand>(type: C['type'], data: C['data']) => ({ type, data, meta: { now: at } }) as C;
const created: QueueEvent = {
  type: 'QueueCreated',
  data: { queueId: 'q1', at, name: '售后热线', departmentId: 'svc', config: DEFAULT_QUEUE_CONFIG },
};

describe('queue configuration', () => {
  it('creates with defaults: longest idle, 80% in 20 s', () => {
    given(queueDecider)
      .when(cmd('CreateQueue', { queueId: 'q1', name: '售后热线', departmentId: 'svc' }))
      .then([created]);
    given(queueDecider, [created])
      .when(cmd('CreateQueue', { queueId: 'q1', name: 'x', departmentId: 'svc' }))
      .thenRejects('QUEUE_EXISTS');
  });

  it('configures skills routing with overflow to another queue', () => {
    const config = {
      strategy: 'skills' as const,
      skills: [{ skill: 'cantonese', minLevel: 5 }],
      overflow: { afterSeconds: 60, target: { kind: 'queue' as const, id: 'q2' } },
    };
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config }))
      .then((e) => expect(e[0].data).toMatchObject({ config: { ...config, maxWaitSeconds: 300 } }));
  });

  it.each([
    [{ strategy: 'skills' }, 'SKILLS_REQUIRED'],
    [{ strategy: 'lottery' }, 'STRATEGY_INVALID'],
    [{ skills: [{ skill: 'x', minLevel: 0 }] }, 'SKILLS_INVALID'],
    [{ serviceLevel: { percent: 120, withinSeconds: 20 } }, 'SERVICE_LEVEL_INVALID'],
    [{ overflow: { afterSeconds: 60, target: { kind: 'queue', id: 'q1' } } }, 'OVERFLOW_INVALID'],
    [{ overflow: { afterSeconds: 900, target: { kind: 'voicemail', id: 'vm' } } }, 'OVERFLOW_INVALID'],
    [{ announceEverySeconds: 3 }, 'ANNOUNCE_INVALID'],
    [{ announceEverySeconds: 30.5 }, 'ANNOUNCE_INVALID'],
    [{ priority: 0 }, 'QUEUE_PRIORITY_INVALID'],
    [{ priority: 11 }, 'QUEUE_PRIORITY_INVALID'],
    [{ priority: 7.5 }, 'QUEUE_PRIORITY_INVALID'],
    [{ priority: '8' }, 'QUEUE_PRIORITY_INVALID'],
    [{ callbackHours: { windows: [], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' } }, 'CALLBACK_HOURS_INVALID'],
    [{ callbackHours: { windows: [{ days: [1], start: '12:00', end: '10:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' } }, 'CALLBACK_HOURS_INVALID'],
    [{ callbackHours: { windows: [{ days: [8], start: '10:00', end: '12:00' }], timeZonePolicy: 'lead', timeZone: 'Asia/Shanghai' } }, 'CALLBACK_HOURS_INVALID'],
    [{ callbackHours: { windows: [{ days: [1], start: '10:00', end: '12:00' }], timeZonePolicy: 'lead', timeZone: 'Mars/Base' } }, 'CALLBACK_HOURS_INVALID'],
  ])('rejects %j with %s', (config, code) => {
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: config as never }))
      .thenRejects(code);
  });

  it('overflows to an outside number: checked as a phone number, kept as E.164', () => {
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: { overflow: { afterSeconds: 60, target: { kind: 'number', id: '021-8888 8888' } } } }))
      .then((e) => expect(e[0].data.config.overflow).toEqual({ afterSeconds: 60, target: { kind: 'number', id: '+862188888888' } }));
    for (const bad of ['12345', '+86 138 0013', 'call me', '138001380001234']) {
      given(queueDecider, [created])
        .when(cmd('ConfigureQueue', { config: { overflow: { afterSeconds: 60, target: { kind: 'number', id: bad } } } }))
        .thenRejects('OVERFLOW_NUMBER_INVALID');
    }
    given(queueDecider)
      .when(cmd('CreateQueue', { queueId: 'q1', name: '售后热线', departmentId: 'svc', config: { overflow: { afterSeconds: 60, target: { kind: 'number', id: '110abc' } } } }))
      .thenRejects('OVERFLOW_NUMBER_INVALID');
  });

  it('turns position announcements on every N seconds, and off again with 0', () => {
    const on: QueueEvent = { type: 'QueueConfigured', data: { queueId: 'q1', at, config: { ...DEFAULT_QUEUE_CONFIG, announceEverySeconds: 45 }, configuredBy: undefined } };
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: { announceEverySeconds: 45 } }))
      .then((e) => expect(e[0].data.config).toEqual({ ...DEFAULT_QUEUE_CONFIG, announceEverySeconds: 45 }));
    given(queueDecider, [created, on])
      .when(cmd('ConfigureQueue', { config: { announceEverySeconds: 0 } }))
      .then((e) => expect(e[0].data.config.announceEverySeconds).toBe(0));
  });

  it('keeps callback hours as a queue setting, checked like a campaign\'s calling hours', () => {
    const callbackHours = { windows: [{ days: [1, 2, 3, 4, 5], start: '10:00', end: '12:00' }], timeZonePolicy: 'lead' as const, timeZone: 'Asia/Shanghai' };
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: { callbackHours } }))
      .then((e) => expect(e[0].data.config).toEqual({ ...DEFAULT_QUEUE_CONFIG, callbackHours }));
    // Unset, the queue keeps the default (09:00-21:00 in the callee's zone) without writing it into its config.
    expect(DEFAULT_QUEUE_CONFIG.callbackHours).toBeUndefined();
  });

  it('keeps a queue priority 1..10; a queue logged without one reads as the default 5', () => {
    given(queueDecider)
      .when(cmd('CreateQueue', { queueId: 'q1', name: 'VIP 专线', departmentId: 'svc', config: { priority: 8 } }))
      .then((e) => expect(e[0].data.config).toEqual({ ...DEFAULT_QUEUE_CONFIG, priority: 8 }));
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: { priority: 10 } }))
      .then((e) => expect(e[0].data.config.priority).toBe(10));
    // An old log: no priority written, none invented on the next change either.
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: { maxWaitSeconds: 200 } }))
      .then((e) => expect(e[0].data.config.priority).toBeUndefined());
    expect(DEFAULT_QUEUE_PRIORITY).toBe(5);
  });

  it('says why a queue priority is refused, in Chinese and English', () => {
    given(queueDecider, [created])
      .when(cmd('ConfigureQueue', { config: { priority: 12 } }))
      .thenRejects('QUEUE_PRIORITY_INVALID', /队列优先级.*1 到 10.*Queue priority is a whole number from 1 to 10.*not 12/);
  });

  it('rejects configuring an unknown queue', () => {
    given(queueDecider)
      .when(cmd('ConfigureQueue', { config: {} }))
      .thenRejects('QUEUE_NOT_FOUND');
  });
});
