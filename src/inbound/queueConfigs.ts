/**
 * Queue settings and agent skills as the live session routes by them: folded from the log
 * (QueueCreated / QueueConfigured, AgentRegistered / AgentSkillsSet, agents' and departments' places in the
 * department tree) and kept live by a subscription,
 * so a supervisor's change applies to the next routing decision without a restart.
 */
import type { QueueConfig as RoutingConfig, QueueStrategy } from '../acd/types.ts';
import type { Skill } from '../domain/agent/events.ts';
import type { CallingHours } from '../domain/campaign/events.ts';
import { DEFAULT_CAMPAIGN_PRIORITY } from '../domain/campaign/config.ts';
import { DEFAULT_CALLBACK_HOURS, DEFAULT_QUEUE_CONFIG, DEFAULT_QUEUE_PRIORITY } from '../domain/queue/decider.ts';
import type { QueueConfig } from '../domain/queue/events.ts';
import { LogFold } from '../eventstore/logFold.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';

export const ROUTING_EVENT_TYPES = [
  'QueueCreated', 'QueueConfigured', 'AgentRegistered', 'AgentSkillsSet', 'CallbackQueued', 'CallbackStarted', 'CallbackAttemptEnded',
  'CampaignCreated', 'CampaignConfigured', 'DepartmentCreated', 'AgentTeamChanged', 'UserMoved',
];

/** A caller's number kept for a callback by an agent of `queueId`. */
export interface PendingCallback {
  callId: string;
  phone: string;
  queueId: string;
  sinceMs: number;
  /** Tries that rang the customer (a try the agent missed does not count). */
  tries: number;
  /** Not tried again before this (a retry's delay). */
  notBeforeMs: number;
  /** The callback call of the try under way, and when it started; its outcome ends it (CallbackAttemptEnded). */
  inFlight?: { callbackCallId: string; startedMs: number };
}

/** One queue as routing and the waiting caller see it. */
export interface QueueSettings {
  queueId: string;
  routing: RoutingConfig;
  /** The caller's wait ends here (overflow target, or voicemail when none). */
  maxWaitSeconds: number;
  /** False when no QueueCreated is in the log: the defaults apply. */
  known: boolean;
  /** Waiting callers hear their place in line every N seconds (undefined: never). */
  announceEverySeconds?: number;
  /** The department the queue belongs to (undefined: not in the log, the whole floor's). */
  departmentId?: string;
  /** When its kept callbacks may be tried (the queue's setting, or the default 09:00-21:00 in the callee's zone). */
  callbackHours: CallingHours;
  /** Rank among everything waiting for an agent, 1..10 (the queue's setting, or 5). */
  priority: number;
}

/** The queue's stored config in the router's terms ('skills' is longest-idle among the highest skill levels). */
export function routingSettings(queueId: string, config: QueueConfig, known = true): QueueSettings {
  const strategy: QueueStrategy = config.strategy === 'skills' ? 'longest_idle' : config.strategy;
  const routing: RoutingConfig = {
    queueId,
    strategy,
    preferSkillLevel: config.strategy === 'skills' || undefined,
    requiredSkills: Object.fromEntries(config.skills.map((s) => [s.skill, s.minLevel])),
    serviceLevel: { answerWithinSeconds: config.serviceLevel.withinSeconds, target: config.serviceLevel.percent / 100 },
  };
  const o = config.overflow;
  if (o) routing.overflow = { afterSeconds: o.afterSeconds, to: { kind: o.target.kind, id: o.target.id } };
  return {
    queueId,
    routing,
    maxWaitSeconds: config.maxWaitSeconds,
    known,
    announceEverySeconds: config.announceEverySeconds || undefined,
    callbackHours: config.callbackHours ?? DEFAULT_CALLBACK_HOURS,
    priority: config.priority ?? DEFAULT_QUEUE_PRIORITY,
  };
}

export class QueueConfigs {
  private readonly queues = new Map<string, QueueConfig>();
  private readonly departments = new Map<string, string>();
  private readonly skills = new Map<string, Record<string, number>>();
  /** Agent -> their department; department -> its parent (a department's parent never changes). */
  private readonly agentDepartments = new Map<string, string>();
  private readonly parents = new Map<string, string>();
  /** Department -> it and every department under it; cleared when a department is created. */
  private subtrees = new Map<string, string[]>();
  /** Campaigns' priorities against inbound callers (only those set: unset is the default). */
  private readonly campaignPriorities = new Map<string, number>();
  private readonly callbacks = new Map<string, PendingCallback>();
  /** Callbacks finished here (answered or given up): a CallbackQueued the subscription delivers late must not bring them back. */
  private readonly doneCallbacks = new Set<string>();
  private readonly log: LogFold;
  private loading?: Promise<void>;
  private loaded = false;

  constructor(store: EventStore) {
    this.log = new LogFold(store, ROUTING_EVENT_TYPES, (e) => this.apply(e));
  }

  /**
   * True once the first catch-up is done, not when it was asked for: until then waiting inbound callers are
   * not routed (the defaults would skip the queue's skills, priorities and overflow).
   */
  get started(): boolean {
    return this.loaded;
  }

  /**
   * Catch up with the log once, then follow it; later calls return the same promise. A load that failed is
   * forgotten, so the next dispatch (or caller entering a queue) tries again instead of routing nobody until a restart.
   */
  start(): Promise<void> {
    this.loading ??= this.log.follow().then(
      () => {
        this.loaded = true;
      },
      (e: unknown) => {
        this.loading = undefined;
        throw e;
      },
    );
    return this.loading;
  }

  /** Read what the log holds beyond what this copy has seen (a config written a moment ago). */
  sync(): Promise<void> {
    return this.log.catchUp();
  }

  stop(): void {
    void this.log.stop();
  }

  private apply(e: RecordedEvent): void {
    const d = e.data as Record<string, any>;
    if (e.type === 'QueueCreated' || e.type === 'QueueConfigured') {
      this.queues.set(d.queueId, d.config);
      if (d.departmentId) this.departments.set(d.queueId, d.departmentId);
    } else if (e.type === 'AgentRegistered' || e.type === 'AgentSkillsSet') {
      this.skills.set(d.agentId, Object.fromEntries((d.skills as Skill[]).map((s) => [s.skill, s.level])));
      if (e.type === 'AgentRegistered' && d.departmentId) this.agentDepartments.set(d.agentId, d.departmentId);
    } else if (e.type === 'AgentTeamChanged' && d.departmentId) {
      this.agentDepartments.set(d.agentId, d.departmentId);
    } else if (e.type === 'UserMoved' && d.departmentId && this.agentDepartments.has(d.userId)) {
      // A person who takes calls is agent <userId>: an admin moving them moves their calls too.
      this.agentDepartments.set(d.userId, d.departmentId);
    } else if (e.type === 'DepartmentCreated') {
      if (d.parentId) this.parents.set(d.departmentId, d.parentId);
      this.subtrees = new Map();
    } else if (e.type === 'CampaignCreated' || e.type === 'CampaignConfigured') {
      if (d.config?.priority === undefined) this.campaignPriorities.delete(d.campaignId);
      else this.campaignPriorities.set(d.campaignId, d.config.priority);
    } else if (e.type === 'CallbackQueued') {
      const sinceMs = Date.parse(d.at ?? e.recordedAt);
      this.keepCallback({ callId: d.callId, phone: d.phone, queueId: d.queueId, sinceMs, tries: 0, notBeforeMs: sinceMs });
    } else if (e.type === 'CallbackStarted') {
      this.callbackStarted(d.callId, d.callbackCallId, Date.parse(d.at ?? e.recordedAt));
    } else if (e.type === 'CallbackAttemptEnded') {
      this.callbackAttemptEnded(d.callId, d.tries ?? 0, d.retryAt ? Date.parse(d.retryAt) : null);
    }
  }

  queue(queueId: string): QueueSettings {
    const config = this.queues.get(queueId);
    const departmentId = this.departments.get(queueId);
    const settings = routingSettings(queueId, config ?? DEFAULT_QUEUE_CONFIG, config !== undefined);
    if (departmentId) settings.routing.departments = this.departmentSubtree(departmentId);
    return { ...settings, departmentId };
  }

  /** A department and every department under it (as the API's departmentSubtree, from the log). */
  departmentSubtree(departmentId: string): string[] {
    let tree = this.subtrees.get(departmentId);
    if (!tree) {
      tree = [departmentId];
      for (const id of this.parents.keys()) if (id !== departmentId && this.isUnder(id, departmentId)) tree.push(id);
      this.subtrees.set(departmentId, tree);
    }
    return tree;
  }

  private isUnder(departmentId: string, ancestor: string): boolean {
    // Bounded walk: a parent loop in a damaged log must not hang routing.
    let at = this.parents.get(departmentId);
    for (let hops = 0; at !== undefined && hops < 64; hops++, at = this.parents.get(at)) if (at === ancestor) return true;
    return false;
  }

  /** The agent's department (undefined: not registered in the log). */
  agentDepartment(agentId: string): string | undefined {
    return this.agentDepartments.get(agentId);
  }

  keepCallback(cb: PendingCallback): void {
    if (!this.doneCallbacks.has(cb.callId) && !this.callbacks.has(cb.callId)) this.callbacks.set(cb.callId, cb);
  }

  /** A try is under way: the callback stays kept until the customer answers (or the tries run out). */
  callbackStarted(callId: string, callbackCallId: string, startedMs: number): void {
    const cb = this.callbacks.get(callId);
    if (cb) cb.inFlight = { callbackCallId, startedMs };
  }

  /** A try ended: `retryAtMs` null means done (answered, or given up); else it is tried again from then. */
  callbackAttemptEnded(callId: string, tries: number, retryAtMs: number | null): void {
    const cb = this.callbacks.get(callId);
    if (retryAtMs === null) {
      this.doneCallbacks.add(callId);
      this.callbacks.delete(callId);
    } else if (cb) {
      cb.tries = tries;
      cb.notBeforeMs = retryAtMs;
      cb.inFlight = undefined;
    }
  }

  /** Kept callbacks (under way or waiting for a try), oldest first. */
  pendingCallbacks(): PendingCallback[] {
    return [...this.callbacks.values()].sort((a, b) => a.sinceMs - b.sinceMs);
  }

  /** A campaign's priority for its answered calls (a campaign not in the log, or none given: the default). */
  campaignPriority(campaignId: string | undefined): number {
    return (campaignId && this.campaignPriorities.get(campaignId)) || DEFAULT_CAMPAIGN_PRIORITY;
  }

  agentSkills(agentId: string): Record<string, number> {
    return this.skills.get(agentId) ?? {};
  }
}
