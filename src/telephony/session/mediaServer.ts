/**
 * The media server as the engine sees it (drachtio-fsmrf style): owns the ESL adapter,
 * hosts one CallEndpoint per live call and the agent actors, turns normalized switch facts
 * into machine events, records each transition as a domain event, and sends the switch commands.
 * Everything runs through one queue so facts of one call apply in arrival order.
 */
import { LiveRouting, taken } from '../../acd/liveRouting.ts';
import type { AgentView } from '../../acd/types.ts';
import { dispatchOrder, type Waiting } from '../../acd/queueOrder.ts';
import { DomainError } from '../../domain/decider.ts';
import { fireAnnouncement, isAnnounceTimer } from '../../inbound/announcements.ts';
import { fireCallbackTimer, isCallbackTimer, offerCallback } from '../../inbound/callbackWhenFree.ts';
import { fireQueueTimer, isQueueTimer } from '../../inbound/overflow.ts';
import { QueueConfigs, type PendingCallback } from '../../inbound/queueConfigs.ts';
import type { AgentMachineEvent } from '../../domain/machines/agentMachine.ts';
import type { CallMachineEvent } from '../../domain/machines/callMachine.ts';
import { DEFAULT_CONNECT_RULE_MS } from '../../domain/machines/callEvents.ts';
import type { EventStore } from '../../eventstore/types.ts';
import type { Clock, Scheduler } from '../../scheduler/scheduler.ts';
import { timerIds } from '../../scheduler/timers.ts';
import { CallControl } from '../esl/callControl.ts';
import type { EslClient } from '../esl/eslClient.ts';
import type { TelephonyFact } from '../esl/facts.ts';
import { AgentDesk, type LiveAgent } from './agentDesk.ts';
import { agentLegId, CallEndpoint, type EndpointOptions, type Leg } from './callEndpoint.ts';
import { handleLegFact } from './facts.ts';
import { fireTimer } from './timerCommands.ts';
import { readToday } from './today.ts';
import { Recorder, type Actor } from './recorder.ts';

const NOBODY_HELD: ReadonlyMap<string, string> = new Map();

/** Slack after the switch's own originate_timeout before our ring-timeout guard acts. */
const RING_GRACE_MS = 5_000;

export interface MediaServerOptions {
  store: EventStore;
  esl: EslClient;
  clock: Clock;
  scheduler: Scheduler;
  /** How long an offered agent may take to answer before the offer goes to someone else (default 15 s). */
  reservationMs?: number;
  wrapUpMs?: number;
  recordingsDir?: string;
  /** Dial string of an agent's phone (default user/<extension>). */
  agentDial?: (extension: string) => string;
  /** Dial string of a customer (E.164) for callbacks (default sofia/gateway/demo/<digits>, as the server's default gateway). */
  customerDial?: (e164: string) => string;
}

export interface DialRequest extends EndpointOptions {
  callId: string;
  /** e.g. sofia/gateway/trunk1/8613800138000 */
  dial: string;
  timeoutSec?: number;
}

export class MediaServer {
  readonly store: EventStore;
  readonly esl: EslClient;
  readonly calls: CallControl;
  readonly clock: Clock;
  readonly scheduler: Scheduler;
  readonly recorder: Recorder;
  readonly agents: AgentDesk;
  readonly endpoints = new Map<string, CallEndpoint>();
  readonly legs = new Map<string, Leg>();
  readonly reservationMs: number;
  readonly wrapUpMs: number;
  readonly recordingsDir: string;
  readonly agentDial: (extension: string) => string;
  readonly customerDial: (e164: string) => string;
  /** Queue settings and agent skills from the log, for inbound routing (started by the first inbound caller). */
  readonly queues: QueueConfigs;
  /** Routing of waiting inbound callers: the queue's strategy over the desk's agents, every decision recorded. */
  readonly routing: LiveRouting;
  /**
   * Whether an agent may take a queued dialer call of this campaign (default: anyone). A campaign dials for
   * the agents of its department, so its calls must not land on another department's agent.
   */
  dialerAgentFilter: (agentId: string, campaignId: string | undefined) => boolean = () => true;
  /**
   * Agents held for callers waiting for them (agent id -> the call id of the first such caller), given by the
   * inbound side (AgentWaits). Dispatch offers a held agent no queue, dialer or callback call: when they are
   * ready, the caller who waits for them takes them.
   */
  heldAgents: () => ReadonlyMap<string, string> = () => NOBODY_HELD;
  /** Errors of fact handling; the session keeps going (a bad fact must not stop the floor). */
  onError: (error: unknown) => void = () => {};
  private queue: Promise<unknown> = Promise.resolve();
  private detached = false;
  private readonly onFact = (f: TelephonyFact) => void this.enqueue(() => handleLegFact(this, f)).catch((e) => this.onError(e));

  constructor(options: MediaServerOptions) {
    this.store = options.store;
    this.esl = options.esl;
    this.calls = new CallControl(options.esl);
    this.clock = options.clock;
    this.scheduler = options.scheduler;
    this.recorder = new Recorder(options.store, () => this.clock.now());
    this.agents = new AgentDesk(this.recorder, () => this.clock.now());
    this.reservationMs = options.reservationMs ?? 15_000;
    this.wrapUpMs = options.wrapUpMs ?? 10_000;
    this.recordingsDir = options.recordingsDir ?? '/tmp/callstream-recordings';
    this.agentDial = options.agentDial ?? ((ext) => `user/${ext}`);
    this.customerDial = options.customerDial ?? ((e164) => `sofia/gateway/demo/${e164.replace(/^\+/, '')}`);
    this.queues = new QueueConfigs(options.store);
    this.routing = new LiveRouting(this);
    this.scheduler.setHandler((t) =>
      this.enqueue(() => (isQueueTimer(t) ? fireQueueTimer(this, t) : isAnnounceTimer(t) ? fireAnnouncement(this, t) : isCallbackTimer(t) ? fireCallbackTimer(this) : fireTimer(this, t))),
    );
    this.esl.on('fact', this.onFact);
    // First in the queue: every fact, command and recovery of this process routes with today's memory.
    void this.enqueue(() => this.rememberToday()).catch((e) => this.onError(e));
  }

  /**
   * Rebuild today's per-agent figures and the queues' memory from the log, so a restart does not start the
   * rotation over or forget who spoke with whom. Run in the queue: what this process wrote before is in the log.
   */
  async rememberToday(): Promise<number> {
    const today = await readToday(this.store, this.clock.now());
    this.agents.replaceToday(today.agents);
    this.routing.replaceMemory(today.queues);
    return today.read;
  }

  /** Stop listening to the switch; calls on the switch are left as they are. */
  detach(): void {
    this.detached = true;
    this.esl.off('fact', this.onFact);
    this.queues.stop();
  }

  /** Run `fn` after everything queued before it; the result (or error) is returned to the caller. */
  enqueue<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => {});
    return run;
  }

  /** Wait until every queued fact and command has been handled. */
  idle(): Promise<void> {
    return this.queue.then(() => {});
  }

  nowIso(): string {
    return new Date(this.clock.now()).toISOString();
  }

  endpoint(callId: string): CallEndpoint | undefined {
    return this.endpoints.get(callId);
  }

  /** Record a call machine event and feed it to the live actor; refusals come back as DomainError. */
  async callEvent(ep: CallEndpoint, event: CallMachineEvent, opts: { actor?: Actor; commandId?: string; waitedMs?: number } = {}): Promise<DomainError | undefined> {
    const r = await this.recorder.call(ep.callId, event, {
      actor: opts.actor,
      commandId: opts.commandId,
      extras: { connectRuleMs: ep.options.connectRuleMs ?? DEFAULT_CONNECT_RULE_MS, waitedMs: opts.waitedMs, by: opts.actor?.actorId, priority: ep.options.inbound ? ep.options.priority : undefined },
    });
    if (r instanceof DomainError) return r;
    ep.applyStored(r.events);
    return undefined;
  }

  agentEvent(agentId: string, event: AgentMachineEvent, opts: { actor?: Actor; commandId?: string } = {}) {
    return this.agents.apply(agentId, event, opts);
  }

  // ---- commands from the dialer, the agent desk and supervisors ----

  /** Predictive / progressive dial: originate the customer leg; the facts drive the rest. */
  dial(req: DialRequest): Promise<CallEndpoint> {
    return this.enqueue(async () => {
      const { callId, dial, timeoutSec, ...options } = req;
      const ep = new CallEndpoint(callId, options);
      this.endpoints.set(callId, ep);
      this.legs.set(callId, { legId: callId, callId, role: 'customer' });
      const ringSec = timeoutSec ?? 30;
      // The switch enforces originate_timeout; this durable guard also covers a call we lost track of.
      await this.scheduler.schedule({
        timerId: timerIds.ringTimeout(callId),
        kind: 'ring-timeout',
        dueAtMs: this.clock.now() + ringSec * 1000 + RING_GRACE_MS,
        command: { target: 'call', id: callId, event: { type: 'RING_TIMEOUT' } },
      });
      this.originate(ep, callId, dial, ringSec, 'customer');
      return ep;
    });
  }

  /** Preview mode: ring the agent first, dial the customer once the agent picks up. */
  clickToDial(req: { callId: string; agentId: string; dial: string; timeoutSec?: number } & EndpointOptions): Promise<CallEndpoint> {
    return this.enqueue(async () => {
      const { callId, agentId, dial, timeoutSec, ...options } = req;
      const live = this.agents.get(agentId);
      if (!live) throw new DomainError('AGENT_NOT_LOGGED_IN', `agent ${agentId} is not logged in here`);
      const ep = new CallEndpoint(callId, { ...options, preview: { agentId, dial, timeoutSec: timeoutSec ?? 30 } });
      const offered = await this.offer(ep, agentId);
      if (offered instanceof DomainError) throw offered;
      this.endpoints.set(callId, ep);
      this.legs.set(callId, { legId: callId, callId, role: 'customer' });
      return ep;
    });
  }

  /** Reserve an agent for the call and ring their phone. */
  async offer(ep: CallEndpoint, agentId: string): Promise<DomainError | undefined> {
    return this.ring(ep, agentId, (legId) => {
      ep.agentId = agentId;
      ep.agentLeg = legId;
    });
  }

  /** Ring-all: reserve every agent given and ring their phones at once; the first to answer gets the call. */
  async offerAll(ep: CallEndpoint, agentIds: string[]): Promise<string[]> {
    const rung: string[] = [];
    for (const agentId of agentIds) {
      const r = await this.ring(ep, agentId, (legId) => ep.ringing.set(agentId, legId));
      if (!r) rung.push(agentId);
    }
    return rung;
  }

  private async ring(ep: CallEndpoint, agentId: string, reserved: (legId: string) => void): Promise<DomainError | undefined> {
    const r = await this.agentEvent(agentId, { type: 'OFFER', callId: ep.callId });
    if (r instanceof DomainError) return r;
    // A call offered to the same agent again before the switch reported the last ring's channel gone gets a leg of
    // its own: the old channel's late hang-up and destroy facts must not end or forget the new ring.
    const first = agentLegId(ep.callId, agentId);
    let legId = first;
    for (let n = 2; this.legs.has(legId); n++) legId = `${first}-${n}`;
    reserved(legId);
    this.legs.set(legId, { legId, callId: ep.callId, role: 'agent', agentId });
    if (!this.endpoints.has(ep.callId)) this.endpoints.set(ep.callId, ep);
    await this.scheduler.schedule({
      timerId: timerIds.reservationExpiry(agentId, ep.callId),
      kind: 'reservation-expiry',
      dueAtMs: this.clock.now() + this.reservationMs,
      command: { target: 'agent', id: agentId, event: { type: 'RESERVATION_EXPIRED', callId: ep.callId } },
    });
    const ext = r.context.extension ?? agentId;
    this.originate(ep, legId, this.agentDial(ext), Math.ceil(this.reservationMs / 1000), 'agent');
    return undefined;
  }

  /** Fire and forget: a failed originate with no channel ends the leg through the queue. */
  originate(ep: CallEndpoint, legId: string, dial: string, timeoutSec: number, role: 'customer' | 'agent'): void {
    const o = ep.options;
    this.calls
      .originate({
        callId: legId, dial, timeoutSec, tags: { campaignId: o.campaignId, leadId: o.leadId, attemptId: o.attemptId, role },
        // Customers see the campaign's number (a callback number they can ring), agents the trunk default.
        callerIdNumber: role === 'customer' ? o.callerId : undefined,
        // The customer stays parked when an agent leaves the bridge (transfer); we hang up ourselves otherwise.
        vars: role === 'customer' ? { park_after_bridge: 'true' } : {},
      })
      .catch((e: { hangupCause?: string; message?: string }) => {
        if (this.detached) return;
        const cause = e.hangupCause ?? 'NORMAL_TEMPORARY_FAILURE';
        // A channel that existed reports its own hangup; only a leg the switch never created needs this.
        void this.enqueue(() => handleLegFact(this, syntheticHangup(legId, cause, this.clock.now()))).catch((err) => this.onError(err));
      });
  }

  /**
   * Give queued calls to ready agents, in one ordered pass over everything waiting (dispatchOrder): inbound
   * callers ranked by their queue's priority, answered dialer customers by their campaign's, kept callbacks by
   * their queue's; at equal priority callers on the line first, then dialer calls, then callbacks; then VIP, then
   * the longest wait. Callers and callbacks are routed by their queue's strategy and skills; a dialer call goes
   * to the first ready agent (the desk's order) who serves its campaign.
   */
  async dispatch(): Promise<void> {
    const loaded = this.queues.started;
    if (!loaded) {
      // First dispatch of this process (also after a restart): load queues, skills and kept callbacks, then look again.
      void this.queues
        .start()
        .then(() => (this.detached ? undefined : this.enqueue(() => this.dispatch())))
        .catch((e) => this.onError(e));
    }
    // Until the queues' settings are loaded, inbound callers and callbacks wait (routing them with defaults would
    // skip skills, priorities and overflow); the load dispatches again when it is done.
    const waiting: Waiting<CallEndpoint | PendingCallback>[] = [];
    for (const ep of this.endpoints.values()) {
      if (!ep.waitingForAgent) continue;
      const sinceMs = ep.queuedAtMs ?? 0;
      if (ep.options.inbound) {
        if (loaded) waiting.push({ kind: 'inbound', priority: this.queues.queue(ep.options.queueId ?? 'default').priority, callerPriority: ep.options.priority ?? 0, sinceMs, item: ep });
      } else if (!ep.agentId) {
        waiting.push({ kind: 'dialer', priority: this.queues.campaignPriority(ep.options.campaignId), callerPriority: 0, sinceMs, item: ep });
      }
    }
    if (loaded) for (const cb of this.queues.pendingCallbacks()) waiting.push({ kind: 'callback', priority: this.queues.queue(cb.queueId).priority, callerPriority: 0, sinceMs: cb.sinceMs, item: cb });
    if (waiting.length === 0) return;
    // The agents as routing sees them, built once, when a caller or callback first needs them (500 agents x 50
    // callers adds up; a floor with only dialer calls waiting needs none). Every offer leaves the agent no longer
    // ready on the desk and taken in the views, so each agent gets at most one call here.
    let views: AgentView[] | undefined;
    let ready: LiveAgent[] | undefined;
    for (const { kind, item } of dispatchOrder(waiting)) {
      if (!(item instanceof CallEndpoint)) {
        await offerCallback(this, item, (views ??= this.routing.agentViews()));
        continue;
      }
      const ep = item;
      if (kind === 'inbound') {
        views ??= this.routing.agentViews();
        // An overflow to another queue routes again there (a few hops at most: queues may overflow in a ring).
        for (let hop = 0; hop < 3 && ep.waitingForAgent; hop++) {
          if (!(await this.routing.route(ep, views))) break;
        }
        continue;
      }
      // In the desk's order (longest idle, or the floor's own). Nobody free serves this call's campaign: it waits,
      // and another campaign's call may still go.
      ready ??= this.readyAgents();
      const i = ready.findIndex((a) => this.agents.status(a.agentId) === 'ready' && this.dialerAgentFilter(a.agentId, ep.options.campaignId));
      if (i < 0) continue;
      const [agent] = ready.splice(i, 1);
      if (views) taken(views, [agent.agentId]);
      await this.offer(ep, agent.agentId);
    }
  }

  /** Stop ringing the other phones of a ring-all offer and give those agents back (`except`: the one who answered). */
  async releaseRinging(ep: CallEndpoint, why: string, except?: string): Promise<void> {
    for (const [agentId, legId] of [...ep.ringing]) {
      ep.ringing.delete(agentId);
      if (agentId === except) continue;
      await this.agentEvent(agentId, { type: 'RESERVATION_EXPIRED', callId: ep.callId });
      await this.scheduler.cancel(timerIds.reservationExpiry(agentId, ep.callId), why);
      await this.calls.hangup(legId).catch(() => {});
    }
  }


  /** Ready agents in the desk's order that dispatch may offer a call: without those held for a caller waiting for them. */
  readyAgents(): LiveAgent[] {
    const held = this.heldAgents();
    const ready = this.agents.readyAgents();
    return held.size ? ready.filter((a) => !held.has(a.agentId)) : ready;
  }

  /** Inbound callers waiting for an agent right now (not yet offered). */
  inboundWaiting(): number {
    let n = 0;
    for (const ep of this.endpoints.values()) if (ep.options.inbound && ep.waitingForAgent) n++;
    return n;
  }

  /** Agent desk commands: LOGIN, READY, NOT_READY, LOGOUT and the supervisor's FORCE_* ones. */
  agentCommand(agentId: string, event: AgentMachineEvent, actor?: Actor): Promise<DomainError | undefined> {
    return this.enqueue(async () => {
      const before = this.agents.get(agentId)?.actor.getSnapshot().context.callId;
      const r = await this.agentEvent(agentId, event, { actor });
      if (r instanceof DomainError) return r;
      // Logging out mid-call ends that call on the switch too: no customer is left in silence.
      if ((event.type === 'LOGOUT' || event.type === 'FORCE_LOGOUT') && before) {
        const ep = this.endpoints.get(before);
        if (ep && ep.status !== 'ended') {
          ep.hangupBy = 'agent';
          if (ep.agentLeg) await this.calls.hangup(ep.agentLeg).catch(() => {});
          await this.calls.hangup(ep.callId).catch(() => {});
        }
      }
      await this.dispatch();
      return undefined;
    });
  }

  /** Hold / resume the customer; refused unless the machine allows it, so switch and log agree. */
  async hold(callId: string): Promise<void> {
    const ep = this.endpoints.get(callId);
    if (!ep?.snapshot.can({ type: 'HOLD' })) throw new DomainError('CALL_TRANSITION_REFUSED', `call ${callId} is ${ep?.status ?? 'not live'}; it cannot be held now`);
    await this.calls.hold(callId);
  }

  async unhold(callId: string): Promise<void> {
    const ep = this.endpoints.get(callId);
    if (!ep?.snapshot.can({ type: 'UNHOLD' })) throw new DomainError('CALL_TRANSITION_REFUSED', `call ${callId} is ${ep?.status ?? 'not live'}; it is not on hold`);
    await this.calls.unhold(callId);
  }

  /** The agent (or the system) ends the call. */
  hangup(callId: string, by: 'agent' | 'system' = 'agent'): Promise<void> {
    return this.enqueue(async () => {
      const ep = this.endpoints.get(callId);
      if (ep) ep.hangupBy = by;
      await this.calls.hangup(callId);
    });
  }
}

function syntheticHangup(callId: string, cause: string, at: number): TelephonyFact {
  return { kind: 'hung-up', callId, cause, coreId: 'local', seq: 0, at, tags: {} };
}
