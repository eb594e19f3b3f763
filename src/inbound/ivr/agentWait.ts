/**
 * A caller routed to one agent who is not free (destination `agent`, or a known customer whose last agent
 * is busy) waits for that agent, still ringing, up to the routes' `agentWaitSeconds`: the moment the agent
 * is ready the call is offered to them (the direct offer), at the deadline the queue takes the caller.
 * The deadline is a durable timer: after a restart it still sends a live caller on to the queue, and the callers
 * still asked or waiting are taken up again from their timers (resume): one cut off mid-offer gets the default.
 *
 * A known customer is asked first (the route set's `agentWaitOffer`): 1 waits, 2 goes to the queue at once, no
 * key in time or another key takes the set's default (wait unless it says queue). Keys are the switch's DTMF
 * facts, as the IVR reads them; the key timeout is a durable timer set when the offer has finished playing.
 *
 * While a caller is asked or waits, their agent is held for them (MediaServer.heldAgents): dispatch offers that
 * agent no queue, dialer or callback call, so the agent ready again goes to the caller who waited first.
 *
 * Recorded on the call: CallAgentWaitOffered and CallerChoseToWait or CallerDeclinedWait (with the key or
 * `timeout`), CallWaitingForAgent, then CallOffered (strategy direct) or CallAgentWaitEnded.
 */
import path from 'node:path';
import { callStreamId } from '../../domain/call/streams.ts';
import type { AgentWaitOffer } from '../../domain/inbound/events.ts';
import { deterministicUuid } from '../../eventstore/ids.ts';
import type { PendingTimer } from '../../scheduler/timers.ts';
import type { TelephonyFact } from '../../telephony/esl/facts.ts';
import type { LiveAgent } from '../../telephony/session/agentDesk.ts';
import type { MediaServer } from '../../telephony/session/mediaServer.ts';

export const AGENT_WAIT_TIMER = 'inbound-agent-wait';
export const AGENT_WAIT_OFFER_TIMER = 'inbound-agent-wait-offer';
/** Heard as early media while waiting (the call is not answered until an agent or the queue takes it). */
export const AGENT_WAIT_PROMPT = 'say:您上次联系的坐席正在通话中，请稍候，我们将优先为您接通。Your agent is on another call; please hold, you will be put through first.';
/** Heard instead when the agent is not logged in (a route straight to them): "on another call" would not be true. */
export const AGENT_AWAY_PROMPT = 'say:您要找的坐席暂时不在线，请稍候，坐席上线后将优先为您接通。The agent you are calling is not available yet; please hold, you will be put through first.';
/** The offer, unless the route set names an uploaded prompt. */
export const AGENT_WAIT_OFFER_PROMPT =
  'say:您上次联系的坐席正在通话中。等待该坐席请按1，转接下一位空闲坐席请按2。Your agent is on another call: press 1 to wait for your agent, press 2 for the next available agent.';
export const DEFAULT_OFFER_SECONDS = 5;
/** The routes' default, for an offer logged before its wait was recorded with it. */
const DEFAULT_WAIT_SECONDS = 20;
/** Longest the offer prompt may play before the key timeout runs anyway. */
const PROMPT_ALLOWANCE_MS = 60_000;

/** Keys of the offer. */
const WAIT_KEY = '1';
const QUEUE_KEY = '2';

interface Waiting {
  callId: string;
  agentId: string;
  queueId: string;
  priority: number;
  waitSeconds: number;
  /** Being asked (the offer plays or awaits a key), then waiting for the agent. */
  phase: 'offer' | 'waiting';
  offer?: { timeoutSeconds: number; onNoChoice: 'wait' | 'queue' };
  /** Offer prompts started and not yet reported stopped; the key timeout starts when none plays. */
  playing: number;
  /** The pending durable timer (the key timeout, then the wait deadline). */
  timerId?: string;
  /** The desk's actor of the agent as subscribed to (none while the agent is not on this desk). */
  watched?: { actor: LiveAgent['actor']; unsubscribe: () => void };
}

export interface AgentWaitOptions {
  /** Send the caller on (not yet answered): to the agent when `agentId` is given, else to the queue. */
  sendOn: (callId: string, queueId: string, priority: number, agentId?: string) => Promise<void>;
  /** Where uploaded prompts are kept (an offer's `promptFile` is read from there). */
  promptsDir?: string;
}

export class AgentWaits {
  private readonly server: MediaServer;
  private readonly options: AgentWaitOptions;
  /** In the order callers started waiting: the first caller waiting for an agent is the one held for. */
  private readonly waiting = new Map<string, Waiting>();
  private readonly unwatchDesk: () => void;

  constructor(server: MediaServer, options: AgentWaitOptions) {
    this.server = server;
    this.options = options;
    server.esl.on('fact', this.onFact);
    server.scheduler.handleKinds([AGENT_WAIT_TIMER, AGENT_WAIT_OFFER_TIMER], (t) => server.enqueue(() => this.timedOut(t)));
    server.heldAgents = this.held;
    // An agent not on the desk when their caller started waiting gets an actor when they log in: follow it.
    this.unwatchDesk = server.agents.onNewActor((live) => {
      for (const w of this.waiting.values()) if (w.agentId === live.agentId) this.watch(w);
    });
    void server.enqueue(() => this.resume()).catch((e) => server.onError(e));
  }

  /**
   * After a restart: a caller still on the line who was being asked gets the route set's default now (the offer they
   * heard is gone with the old process, and their keys went unread), and one waiting for an agent waits on, held
   * for them, until the deadline already set. A caller gone is left to their timer (the queue refuses them).
   */
  private async resume(): Promise<void> {
    for (const t of this.server.scheduler.pendingTimers()) {
      if (t.kind !== AGENT_WAIT_OFFER_TIMER && t.kind !== AGENT_WAIT_TIMER) continue;
      const callId = t.command.id;
      if (this.waiting.has(callId) || !(await this.server.calls.exists(callId).catch(() => false))) continue;
      const e = t.command.event as { agentId?: string; queueId?: string; priority?: number };
      if (!e.agentId || !e.queueId) continue;
      const offered = (await this.server.store.readStream(callStreamId(callId))).find((x) => x.type === 'CallAgentWaitOffered')?.data;
      const w: Waiting = {
        callId,
        agentId: e.agentId,
        queueId: e.queueId,
        priority: Number(e.priority ?? 0),
        waitSeconds: Number(offered?.waitSeconds ?? DEFAULT_WAIT_SECONDS),
        phase: t.kind === AGENT_WAIT_OFFER_TIMER ? 'offer' : 'waiting',
        playing: t.kind === AGENT_WAIT_OFFER_TIMER ? 1 : 0, // the prompt may still play: it is broken off
        timerId: t.timerId,
      };
      if (w.phase === 'offer') {
        w.offer = { timeoutSeconds: Number(offered?.timeoutSeconds ?? DEFAULT_OFFER_SECONDS), onNoChoice: offered?.onNoChoice === 'queue' ? 'queue' : 'wait' };
      }
      this.waiting.set(callId, w);
      this.watch(w);
      if (w.phase === 'offer') await this.choose(w, 'timeout', 'the offer was cut off by a restart');
    }
  }

  stop(): void {
    this.server.esl.off('fact', this.onFact);
    this.unwatchDesk();
    if (this.server.heldAgents === this.held) this.server.heldAgents = () => new Map();
    for (const w of this.waiting.values()) w.watched?.unsubscribe();
    this.waiting.clear();
  }

  /** Callers waiting for an agent now (asked or waiting). */
  size(): number {
    return this.waiting.size;
  }

  /**
   * Agent id -> the call id of the first caller waiting for them. Only watched agents are held: a hold on an agent
   * whose changes do not reach us would never hand them to their caller.
   */
  private readonly held = (): ReadonlyMap<string, string> => {
    const held = new Map<string, string>();
    for (const w of this.waiting.values()) if (w.watched && !held.has(w.agentId)) held.set(w.agentId, w.callId);
    return held;
  };

  /**
   * Follow the desk's actor of the waiter's agent (again, when the desk replaced it). An agent found ready here is
   * handed to their caller by the next step in the server's queue.
   */
  private watch(w: Waiting): void {
    const live = this.server.agents.get(w.agentId);
    if (!live || live.actor === w.watched?.actor) return;
    w.watched?.unsubscribe();
    const agentId = w.agentId;
    const freed = () => void this.server.enqueue(() => this.agentFree(agentId)).catch((e) => this.server.onError(e));
    const sub = live.actor.subscribe(() => {
      if (this.isReady(agentId)) freed();
    });
    w.watched = { actor: live.actor, unsubscribe: () => sub.unsubscribe() };
    if (this.isReady(agentId)) freed();
  }

  private isReady(agentId: string): boolean {
    return this.server.agents.status(agentId) === 'ready';
  }

  private firstWaitingFor(agentId: string): Waiting | undefined {
    for (const w of this.waiting.values()) if (w.agentId === agentId) return w;
    return undefined;
  }

  /**
   * Inside the server's queue. The caller stays unanswered (ringing) while they wait. With `offer` the caller is
   * asked first whether to wait (a known customer); without, they wait (destination agent).
   */
  async wait(callId: string, agentId: string, queueId: string, priority: number, waitSeconds: number, offer?: AgentWaitOffer): Promise<void> {
    // Free and nobody before them waiting for the agent: straight through.
    if (this.isReady(agentId) && !this.firstWaitingFor(agentId)) return this.options.sendOn(callId, queueId, priority, agentId);
    // The desk's actor tells us when the agent changes state; an agent not on this desk yet is watched (and held)
    // from when they log in.
    const w: Waiting = { callId, agentId, queueId, priority, waitSeconds, phase: offer ? 'offer' : 'waiting', playing: 0 };
    if (offer) w.offer = { timeoutSeconds: offer.timeoutSeconds ?? DEFAULT_OFFER_SECONDS, onNoChoice: offer.onNoChoice ?? 'wait' };
    this.waiting.set(callId, w);
    this.watch(w);
    const prompt = offer?.promptFile ? path.join(this.options.promptsDir ?? '', offer.promptFile) : AGENT_WAIT_OFFER_PROMPT;
    try {
      // Early media: the caller hears us before anyone answers; a caller gone already is seen by the hangup fact.
      await this.server.esl.execute(callId, 'pre_answer', '', false).catch(() => {});
      if (!w.offer) return await this.startWaiting(w);
      await this.note(w, 'CallAgentWaitOffered', { keys: { [WAIT_KEY]: 'wait', [QUEUE_KEY]: 'queue' }, ...w.offer, prompt, waitSeconds });
      // Durable from the start: should the process stop while the offer plays, the caller is not left ringing.
      await this.keyTimer(w, PROMPT_ALLOWANCE_MS);
    } catch (e) {
      return this.giveUp(w, e);
    }
    w.playing++;
    try {
      await this.server.esl.execute(callId, 'playback', prompt, false);
    } catch {
      // No prompt (a file missing on the switch, or the caller gone): the key timeout runs from now.
      w.playing--;
      await this.keyTimer(w).catch((e) => this.giveUp(w, e));
    }
  }

  /**
   * The wait could not be set up (the store failing): no hold is left without its timer; the caller goes to the
   * queue, and the agent to whoever is next.
   */
  private async giveUp(w: Waiting, e: unknown): Promise<void> {
    this.server.onError(e);
    if (this.waiting.get(w.callId) !== w) return; // ended meanwhile (the caller hung up, the agent took them)
    await this.end(w, 'the wait could not be set up').catch((err) => this.server.onError(err));
    await this.options.sendOn(w.callId, w.queueId, w.priority).catch((err) => this.server.onError(err));
    await this.released(w.agentId);
  }

  /** The caller chose to wait (or did not choose and the default is wait): hold on for the agent until the deadline. */
  private async startWaiting(w: Waiting): Promise<void> {
    w.phase = 'waiting';
    w.timerId = `agent-wait-${w.callId}`;
    const untilMs = this.server.clock.now() + w.waitSeconds * 1000;
    await this.note(w, 'CallWaitingForAgent', { until: new Date(untilMs).toISOString() });
    await this.server.scheduler.schedule({
      timerId: w.timerId,
      kind: AGENT_WAIT_TIMER,
      dueAtMs: untilMs,
      command: { target: 'call', id: w.callId, event: { type: 'AGENT_WAIT_OVER', agentId: w.agentId, queueId: w.queueId, priority: w.priority } },
    });
    const prompt = this.server.agents.status(w.agentId) === 'logged-out' ? AGENT_AWAY_PROMPT : AGENT_WAIT_PROMPT;
    await this.server.esl.execute(w.callId, 'playback', prompt, false).catch(() => {});
  }

  /**
   * The offer has been heard: the caller has `timeoutSeconds` to press a key. While it plays, the same timer with
   * `promptMs` more stands in (replaced when the prompt ends).
   */
  private async keyTimer(w: Waiting, promptMs = 0): Promise<void> {
    if (w.phase !== 'offer' || !w.offer) return;
    const timerId = `agent-wait-offer-${w.callId}${promptMs ? '-playing' : ''}`;
    if (w.timerId === timerId) return;
    if (w.timerId) await this.server.scheduler.cancel(w.timerId, 'the offer has played');
    w.timerId = timerId;
    await this.server.scheduler.schedule({
      timerId: w.timerId,
      kind: AGENT_WAIT_OFFER_TIMER,
      dueAtMs: this.server.clock.now() + promptMs + w.offer.timeoutSeconds * 1000,
      command: { target: 'call', id: w.callId, event: { type: 'AGENT_WAIT_OFFER_OVER', agentId: w.agentId, queueId: w.queueId, priority: w.priority } },
    });
  }

  /** A key (or `timeout`) answers the offer: 1 waits, 2 queues, anything else the route set's default. */
  private async choose(w: Waiting, key: string, cutOff?: string): Promise<void> {
    if (w.phase !== 'offer' || !w.offer) return;
    if (w.timerId) await this.server.scheduler.cancel(w.timerId, key === 'timeout' ? 'no key in time' : 'key pressed');
    w.timerId = undefined;
    if (w.playing > 0) await this.server.calls.stopMedia(w.callId).catch(() => {});
    const chosen = key === WAIT_KEY || key === QUEUE_KEY;
    const wait = chosen ? key === WAIT_KEY : w.offer.onNoChoice === 'wait';
    const why = chosen
      ? `pressed ${key}`
      : cutOff
        ? `${cutOff}; the route set's default (${w.offer.onNoChoice})`
        : key === 'timeout'
        ? `no key within ${w.offer.timeoutSeconds} s; the route set's default (${w.offer.onNoChoice})`
        : `pressed ${key}, not ${WAIT_KEY} or ${QUEUE_KEY}; the route set's default (${w.offer.onNoChoice})`;
    const choice = { key, by: chosen ? 'key' : 'default' };
    if (wait) {
      await this.note(w, 'CallerChoseToWait', { ...choice, reason: `${why}: wait for agent ${w.agentId}` });
      return this.startWaiting(w).catch((e) => this.giveUp(w, e));
    }
    await this.note(w, 'CallerDeclinedWait', { ...choice, reason: `${why}: the next available agent of queue ${w.queueId}` });
    await this.end(w, 'caller chose the queue', false);
    await this.options.sendOn(w.callId, w.queueId, w.priority).catch((e) => this.server.onError(e));
    await this.released(w.agentId);
  }

  /** The agent is ready: the first caller waiting for them (asked or waiting) is offered to them. */
  private async agentFree(agentId: string): Promise<void> {
    const w = this.firstWaitingFor(agentId);
    // Someone else may have taken the agent first (a direct offer, a supervisor's transfer): keep waiting.
    if (!w || !this.isReady(agentId)) return;
    await this.end(w, 'agent free');
    try {
      await this.options.sendOn(w.callId, w.queueId, w.priority, agentId);
    } catch (e) {
      // The caller is gone: the agent goes to whoever waits next for them, or to the queues.
      this.server.onError(e);
      await this.released(agentId);
    }
  }

  /** A hold ended without the agent taking its caller: a ready agent goes at once to the next caller waiting for them, else to dispatch. */
  private async released(agentId: string): Promise<void> {
    if (!this.isReady(agentId)) return;
    if (this.firstWaitingFor(agentId)) return this.agentFree(agentId);
    await this.server.dispatch();
  }

  private async timedOut(t: PendingTimer): Promise<string> {
    const callId = t.command.id;
    const w = this.waiting.get(callId);
    if (w && w.timerId !== t.timerId) return 'refused: the caller is no longer waiting for this';
    if (w && t.kind === AGENT_WAIT_OFFER_TIMER) {
      await this.choose(w, 'timeout');
      return 'applied';
    }
    const e = t.command.event as { agentId?: string; queueId?: string; priority?: number };
    if (w) await this.end(w, 'wait over');
    const queueId = w?.queueId ?? String(e.queueId ?? '');
    const agentId = w?.agentId ?? String(e.agentId ?? '');
    if (!queueId) return 'refused: no queue to send the caller to';
    const why = t.kind === AGENT_WAIT_OFFER_TIMER ? 'the offer to wait went unanswered across a restart' : `agent ${agentId} was not free in time`;
    await this.server.recorder.note(callStreamId(callId), 'CallAgentWaitEnded', { callId, agentId, queueId, reason: `${why}; queue ${queueId}` });
    // After a restart no one remembers the caller: the queue refuses one who is gone (CALL_ENDED, CALL_NOT_LIVE).
    await this.options.sendOn(callId, queueId, w?.priority ?? Number(e.priority ?? 0)).catch((err) => this.server.onError(err));
    if (w) await this.released(w.agentId);
    return 'applied';
  }

  private async end(w: Waiting, why: string, stopPrompt = true): Promise<void> {
    this.waiting.delete(w.callId);
    w.watched?.unsubscribe();
    if (w.timerId) await this.server.scheduler.cancel(w.timerId, why);
    if (stopPrompt) await this.server.calls.stopMedia(w.callId).catch(() => {});
  }

  /** Once per call and type: a retried append does not record a step twice. */
  private note(w: Waiting, type: string, data: Record<string, unknown>): Promise<void> {
    const base = { callId: w.callId, agentId: w.agentId, queueId: w.queueId };
    return this.server.recorder.note(callStreamId(w.callId), type, { ...base, ...data }, {}, deterministicUuid(w.callId, 'agent-wait', type));
  }

  private readonly onFact = (f: TelephonyFact): void => {
    if (!('callId' in f) || !this.waiting.has(f.callId)) return;
    if (f.kind !== 'hung-up' && f.kind !== 'dtmf' && f.kind !== 'playback-stopped') return;
    void this.server.enqueue(() => this.fact(f)).catch((e) => this.server.onError(e));
  };

  private async fact(f: Extract<TelephonyFact, { callId: string }>): Promise<void> {
    const w = this.waiting.get(f.callId);
    if (!w) return;
    if (f.kind === 'dtmf') return this.choose(w, f.digit);
    if (f.kind === 'playback-stopped') {
      if (w.phase !== 'offer') return;
      w.playing = Math.max(0, w.playing - 1);
      if (w.playing === 0) await this.keyTimer(w);
      return;
    }
    if (f.kind !== 'hung-up') return;
    await this.end(w, 'caller hung up', false);
    await this.server.recorder.call(f.callId, { type: 'HANGUP', cause: f.cause, hangupBy: 'caller' });
    this.server.recorder.forget(callStreamId(f.callId));
    await this.released(w.agentId);
  }
}
