import type { DomainEvent } from '../decider.ts';
import type { RoutingStrategy } from '../call/events.ts';
import type { CallingHours } from '../campaign/events.ts';

export interface SkillRequirement {
  skill: string;
  /** Lowest agent level (1..10) that may take calls from this queue. */
  minLevel: number;
}

export interface QueueConfig {
  strategy: RoutingStrategy;
  skills: SkillRequirement[];
  /**
   * Where waiting callers go after `afterSeconds`; omitted: they keep waiting until maxWaitSeconds.
   * 'callback' keeps the caller's number and calls back when an agent of queue `id` is free.
   */
  overflow?: { afterSeconds: number; target: { kind: 'queue' | 'voicemail' | 'number' | 'callback'; id: string } };
  /** e.g. 80% of calls answered within 20 seconds. */
  serviceLevel: { percent: number; withinSeconds: number };
  maxWaitSeconds: number;
  /** Tell each waiting caller their place in line every N seconds (10..3600); unset or 0: no announcements. */
  announceEverySeconds?: number;
  /**
   * When the queue's kept callbacks may be tried (same shape as a campaign's calling hours); unset: 09:00-21:00
   * in the callee's zone (DEFAULT_CALLBACK_HOURS).
   */
  callbackHours?: CallingHours;
  /**
   * The queue's rank among everything waiting for an agent, 1..10 (VICIdial's in-group queue priority): an agent
   * able to take several queues' callers, or a campaign's dialer calls, takes the higher one first. Unset (queues
   * logged before it existed): DEFAULT_QUEUE_PRIORITY.
   */
  priority?: number;
}

type Base = { queueId: string; at: string };

export type QueueCreated = DomainEvent<
  'QueueCreated',
  Base & { name: string; departmentId: string; config: QueueConfig }
>;
export type QueueConfigured = DomainEvent<'QueueConfigured', Base & { config: QueueConfig; configuredBy?: string }>;

export type QueueEvent = QueueCreated | QueueConfigured;
