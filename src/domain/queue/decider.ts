import { DomainError, type Decider, type Decision } from '../decider.ts';
import type { RoutingStrategy } from '../call/events.ts';
import { checkCallingHours } from '../campaign/config.ts';
import type { CallingHours } from '../campaign/events.ts';
import { toE164 } from '../phone/normalize.ts';
import { isNonEmpty, reject } from '../rules.ts';
import type { QueueCommand } from './commands.ts';
import type { QueueConfig, QueueEvent } from './events.ts';
import { QUEUE_CATEGORY } from './streams.ts';

const STRATEGIES: readonly RoutingStrategy[] = [
  'longest_idle',
  'skills',
  'round_robin',
  'ring_all',
  'fewest_calls',
  'random',
  'least_talk_time',
  'sticky',
];

export const DEFAULT_QUEUE_CONFIG: QueueConfig = {
  strategy: 'longest_idle',
  skills: [],
  serviceLevel: { percent: 80, withinSeconds: 20 },
  maxWaitSeconds: 300,
};

/** A queue's priority when its config sets none (the middle: a queue can be put above or below it). */
export const DEFAULT_QUEUE_PRIORITY = 5;

/** A kept callback is a manual-style dial: daytime in the callee's zone, as a person's own dial. */
export const DEFAULT_CALLBACK_HOURS: CallingHours = {
  windows: [{ days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '21:00' }],
  timeZonePolicy: 'lead',
  timeZone: 'Asia/Shanghai',
};

export interface QueueState {
  queueId?: string;
  name?: string;
  departmentId?: string;
  config: QueueConfig;
}

const whole = (n: unknown, min: number, max: number) =>
  Number.isInteger(n) && (n as number) >= min && (n as number) <= max;

function mergeQueueConfig(
  queueId: string,
  current: QueueConfig,
  patch: Partial<QueueConfig> = {},
): QueueConfig | DomainError {
  const c: QueueConfig = { ...current, ...patch };
  if (!STRATEGIES.includes(c.strategy))
    return reject('STRATEGY_INVALID', `Strategy is one of ${STRATEGIES.join(', ')}`);
  if (!Array.isArray(c.skills) || c.skills.some((s) => !isNonEmpty(s?.skill) || !whole(s.minLevel, 1, 10))) {
    return reject('SKILLS_INVALID', 'Skill requirements are { skill, minLevel 1..10 }');
  }
  if (c.strategy === 'skills' && c.skills.length === 0)
    return reject('SKILLS_REQUIRED', 'Skills-based routing needs at least one skill');
  const sl = c.serviceLevel;
  if (!sl || !whole(sl.percent, 1, 100) || !whole(sl.withinSeconds, 1, 3600)) {
    return reject('SERVICE_LEVEL_INVALID', 'Service level is a percent (1-100) within whole seconds');
  }
  if (!whole(c.maxWaitSeconds, 1, 86_400)) return reject('MAX_WAIT_INVALID', 'Max wait is whole seconds, at least 1');
  const every = c.announceEverySeconds;
  if (every !== undefined && every !== 0 && !whole(every, 10, 3600)) {
    return reject('ANNOUNCE_INVALID', 'Position announcements come every 10 to 3600 whole seconds, or 0 for none');
  }
  if (c.priority !== undefined && !whole(c.priority, 1, 10)) {
    return reject('QUEUE_PRIORITY_INVALID', `队列优先级为 1 到 10 的整数 / Queue priority is a whole number from 1 to 10 (default ${DEFAULT_QUEUE_PRIORITY}), not ${c.priority}`);
  }
  if (c.callbackHours !== undefined) {
    const bad = checkCallingHours(c.callbackHours);
    if (bad) return reject('CALLBACK_HOURS_INVALID', `Callback hours: ${bad.reason}`, { cause: bad.code });
  }
  if (c.overflow) {
    const { afterSeconds, target } = c.overflow;
    if (!whole(afterSeconds, 1, c.maxWaitSeconds))
      return reject('OVERFLOW_INVALID', `Overflow happens between 1 and ${c.maxWaitSeconds} seconds`);
    if (!target || !['queue', 'voicemail', 'number', 'callback'].includes(target.kind) || !isNonEmpty(target.id)) {
      return reject('OVERFLOW_INVALID', 'Overflow goes to a queue, voicemail, a callback or a number');
    }
    if (target.kind === 'queue' && target.id === queueId)
      return reject('OVERFLOW_INVALID', 'A queue cannot overflow into itself');
    if (target.kind === 'number') {
      // A number the company sets (not a customer's): checked as a phone number and kept as E.164 for the dial string.
      const e164 = toE164(target.id);
      if (e164 instanceof DomainError) {
        return reject('OVERFLOW_NUMBER_INVALID', `溢出转接号码无效 / Overflow number: ${e164.message}`, { cause: e164.code, input: target.id });
      }
      c.overflow = { afterSeconds, target: { kind: 'number', id: e164 } };
    }
  }
  return c;
}

function decide(c: QueueCommand, s: QueueState): Decision<QueueEvent> {
  const at = c.meta.now;
  if (c.type === 'CreateQueue') {
    const d = c.data;
    if (s.queueId) return reject('QUEUE_EXISTS', `Queue ${s.queueId} already exists`);
    if (!isNonEmpty(d.queueId) || !isNonEmpty(d.name))
      return reject('QUEUE_NAME_REQUIRED', 'A queue has an id and a name');
    if (!isNonEmpty(d.departmentId)) return reject('DEPARTMENT_REQUIRED', 'A queue belongs to a department');
    const config = mergeQueueConfig(d.queueId, DEFAULT_QUEUE_CONFIG, d.config);
    if (config instanceof DomainError) return config;
    return [
      { type: 'QueueCreated', data: { queueId: d.queueId, at, name: d.name, departmentId: d.departmentId, config } },
    ];
  }
  if (!s.queueId) return reject('QUEUE_NOT_FOUND', 'No such queue');
  const config = mergeQueueConfig(s.queueId, s.config, c.data.config);
  if (config instanceof DomainError) return config;
  return [{ type: 'QueueConfigured', data: { queueId: s.queueId, at, config, configuredBy: c.meta.actorId } }];
}

export const queueDecider: Decider<QueueCommand, QueueEvent, QueueState> = {
  category: QUEUE_CATEGORY,
  initialState: () => ({ config: DEFAULT_QUEUE_CONFIG }),
  evolve: (s, e) => {
    switch (e.type) {
      case 'QueueCreated':
        return { queueId: e.data.queueId, name: e.data.name, departmentId: e.data.departmentId, config: e.data.config };
      case 'QueueConfigured':
        return { ...s, config: e.data.config };
      default:
        return s;
    }
  },
  decide,
};
