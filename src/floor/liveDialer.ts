import { randomUUID } from 'node:crypto';
import { handleCommand } from '../commands/handleCommand.ts';
import { callDecider } from '../domain/call/decider.ts';
import { DomainError } from '../domain/decider.ts';
import { checkDial, type ComplianceRules } from '../dialer/compliance/checkDial.ts';
import type { Pacer } from '../dialer/pacing/types.ts';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/types.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';
import { DialHistory } from '../dialer/compliance/dialHistory.ts';

export interface LiveDialerOptions {
  store: EventStore;
  media: MediaServer;
  pacer: Pacer;
  campaignId: string;
  /** The campaign's dial rules; a function is read at every dial, so a reconfigured campaign applies at once. */
  rules: ComplianceRules | (() => ComplianceRules);
  /** Agents ready at the moment the dialer starts: a campaign started while people wait in ready dials for them at once. */
  readyNow?: () => string[];
  /** Numbers being dialed, shared by every campaign's dialer so two campaigns never ring one customer at once. */
  phonesInFlight?: Set<string>;
  /** The number customers see (the campaign's caller id); read at each dial. */
  callerId?: () => string | undefined;
  /** Whether the campaign records its calls (default 'always'); read at each dial. */
  recording?: () => 'always' | 'never' | 'on-demand';
  /** Agents whose readiness this campaign paces for (default: every agent on the floor). */
  servesAgent?: (agentId: string) => boolean;
  /** The next lead to try (E.164, or with the pass over the list and why it was picked), or undefined when none is due. */
  nextLead: (busy: ReadonlySet<string>) => string | LeadPick | undefined | Promise<string | LeadPick | undefined>;
  /** Dial string of a customer number, e.g. sofia/gateway/trunk1/<digits>. */
  dialString: (e164: string) => string;
  tickMs?: number;
  /** Compliance inputs from the log (default: one of its own on `store`). */
  history?: DialHistory;
  /** The rolling window the campaign's abandon rate is judged over (default 24 h, as Ofcom's). */
  abandonWindowHours?: number;
  /**
   * Agents the pacer must leave free for this campaign, e.g. for inbound callers its agents could take: that many
   * fewer dials. Read at every round; with `why`, explain() says why.
   */
  holdBack?: (campaignId: string) => number | HeldBack;
  onError?: (e: unknown) => void;
}

/** Dials left out in a round, and why. */
export interface HeldBack {
  count: number;
  why: string;
}

export interface LeadPick {
  phone: string;
  /** Pass over the list: above the lead's last one when it is recycled. */
  pass?: number;
  reason?: string;
  /** The lead's own time zone, when its fields name one (calling hours are judged there). */
  timeZone?: string;
}

const FLOOR_EVENTS = [
  'CallAnswered',
  'CallBridged',
  'CallAbandoned',
  'CallEnded',
  'AgentReady',
  'AgentForcedReady',
  'AgentWrapUpEnded',
  'AgentNotReady',
  'AgentForcedNotReady',
  'AgentLoggedOut',
  'AgentCallConnected',
  'AgentCallEnded',
];

/**
 * The live predictive dialer of one campaign. It learns the floor from the event log (the same facts the
 * reports see), asks the pacer how many dials to place, passes each through the compliance gate, records
 * the receipt (CallDialAttempted or CallDialBlocked) and only then originates.
 */
export class LiveDialer {
  private readonly o: LiveDialerOptions;
  private readonly inFlight = new Map<string, string>(); // callId -> phone
  private readonly phonesInFlight: Set<string>;
  /** Refusals since the last dial that went out; after a few, the dialer waits before trying again. */
  private refusedInARow = 0;
  private restUntil = 0;
  private ticking: Promise<void> = Promise.resolve();
  /** Dials the pacer already heard the outcome of (answered, or a machine). */
  private readonly resolved = new Set<string>();
  /** Agent -> the call they are talking on (AgentCallConnected), so a call's end sends them to wrap-up only then. */
  private readonly talkingOn = new Map<string, string>();
  private readonly history: DialHistory;
  private timer?: NodeJS.Timeout;
  private sub?: Subscription;
  private busy = false;
  /** Set by stop(): a tick already under way places no further dial (a paused campaign dials nothing more). */
  private stopped = false;
  dialed = 0;
  blocked = 0;
  /** The last round's hold-back (what explain() reports). */
  heldBack: HeldBack = { count: 0, why: '' };

  constructor(options: LiveDialerOptions) {
    this.o = options;
    this.history = options.history ?? new DialHistory(options.store);
    this.phonesInFlight = options.phonesInFlight ?? new Set();
  }

  async start(): Promise<void> {
    await this.history.catchUp();
    const after = await this.o.store.headPosition();
    for (const agentId of this.o.readyNow?.() ?? []) if (this.o.servesAgent?.(agentId) ?? true) this.o.pacer.onAgentReady(agentId);
    this.sub = this.o.store.subscribe((events) => this.observe(events), { after, filter: { eventTypes: FLOOR_EVENTS } });
    this.sub.done.catch((e) => this.o.onError?.(e));
    this.timer = setInterval(() => void this.tick(), this.o.tickMs ?? 250);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.ticking; // a dial already being placed is finished, never half-recorded
    await this.sub?.stop();
  }

  /** The pacer's numbers behind the last round, with the dials held back and why. */
  explain(): Record<string, number | string> {
    return { ...this.o.pacer.explain(), heldBack: this.heldBack.count, heldBackWhy: this.heldBack.why };
  }

  private observe(events: RecordedEvent[]): void {
    const p = this.o.pacer;
    let readyNow = false;
    for (const e of events) {
      const d = e.data as Record<string, any>;
      const mine = d.callId && this.inFlight.has(d.callId);
      if (e.type.startsWith('Agent') && this.o.servesAgent && !this.o.servesAgent(d.agentId)) continue;
      switch (e.type) {
        // The session puts an agent back to ready when wrap-up ends (AgentWrapUpEnded, no AgentReady): without
        // it the pacer kept every agent who had taken a call in wrap-up and stopped dialing for them.
        case 'AgentReady':
        case 'AgentForcedReady':
        case 'AgentWrapUpEnded':
          p.onAgentReady(d.agentId);
          readyNow = true;
          break;
        // A paused agent takes no calls: for the pacer they are off the floor until they are ready again.
        case 'AgentNotReady':
        case 'AgentForcedNotReady':
        case 'AgentLoggedOut':
          p.onAgentLoggedOut(d.agentId);
          break;
        case 'AgentCallConnected':
          this.talkingOn.set(d.agentId, d.callId);
          break;
        // A call that ended before the agent spoke (the customer hung up while their phone rang) puts them straight
        // back to ready, with no AgentReady or AgentWrapUpEnded to follow: for the pacer they never left it.
        case 'AgentCallEnded':
          if (this.talkingOn.get(d.agentId) !== d.callId) break;
          this.talkingOn.delete(d.agentId);
          p.onTalkEnd(d.agentId);
          break;
        case 'CallAnswered':
          if (!mine) break;
          this.resolved.add(d.callId);
          if (d.answeredBy === 'machine') p.onNoAnswer(d.callId, 'machine');
          else p.onAnswer(d.callId);
          break;
        case 'CallBridged':
          if (mine) p.onConnect(d.callId, d.agentId);
          break;
        case 'CallAbandoned':
          if (!mine) break;
          p.onAbandon(d.callId);
          break;
        case 'CallEnded':
          if (!mine) break;
          if (!this.resolved.delete(d.callId)) p.onNoAnswer(d.callId, d.cause === 'USER_BUSY' ? 'busy' : 'no_answer');
          p.onEnded(d.callId);
          this.phonesInFlight.delete(this.inFlight.get(d.callId)!);
          this.inFlight.delete(d.callId);
          break;
      }
    }
    // A newly ready agent should not wait for the next timer tick to have a dial placed for them.
    if (readyNow) void this.tick();
  }

  private tick(): Promise<void> {
    if (this.busy) return this.ticking;
    this.busy = true;
    this.ticking = this.placeDials().finally(() => (this.busy = false));
    return this.ticking;
  }

  private async placeDials(): Promise<void> {
    try {
      if (Date.now() < this.restUntil) return;
      const wanted = this.o.pacer.dialsToPlace();
      const held = this.o.holdBack?.(this.o.campaignId) ?? 0;
      const h = typeof held === 'number' ? { count: held, why: held > 0 ? `${held} held back` : '' } : held;
      this.heldBack = { count: Math.max(0, Math.min(h.count, wanted)), why: h.why };
      let n = wanted - this.heldBack.count;
      while (n-- > 0 && !this.stopped) {
        await this.history.catchUp();
        // Never two dials to one number at once: any campaign's in this process, and calls live in the log.
        const busy = this.history.livePhones(Date.now());
        for (const phone of this.phonesInFlight) busy.add(phone);
        const next = await this.o.nextLead(busy);
        if (!next || this.stopped) break;
        const pick = typeof next === 'string' ? { phone: next } : next;
        // Another campaign may have taken it while we chose: claim it before anything is awaited.
        if (this.phonesInFlight.has(pick.phone)) continue;
        this.phonesInFlight.add(pick.phone);
        if (!(await this.dial(pick))) {
          // A refusal is recorded; do not spin through the list refusing: one per round, and rest when they keep coming.
          if (++this.refusedInARow >= 3) this.restUntil = Date.now() + Math.min(60_000, 5_000 * 2 ** (this.refusedInARow - 3));
          break;
        }
        this.refusedInARow = 0;
      }
    } catch (e) {
      this.o.onError?.(e);
    }
  }

  /** Records the receipt and, when allowed, originates; false when the gate refused (the number is released). */
  private async dial({ phone, pass, reason, timeZone }: LeadPick): Promise<boolean> {
    const now = new Date().toISOString();
    const callId = randomUUID();
    const h = this.history;
    const attempts = h.attemptsOf(phone, this.o.campaignId, pass);
    const hours = this.o.abandonWindowHours ?? 24;
    const compliance = checkDial(
      {
        phone,
        now,
        leadTimeZone: timeZone,
        attempts,
        recentDials: h.recentDials(phone),
        predictive: this.o.pacer.mode !== 'progressive',
        campaignAbandons: { ...h.abandonCounts(this.o.campaignId, Date.parse(now), hours * 3600_000), window: `rolling ${hours}h` },
      },
      typeof this.o.rules === 'function' ? this.o.rules() : this.o.rules,
      h.lists(),
    );
    // Placed in a round that left some dials out for inbound callers: the receipt says how many and why.
    if (this.heldBack.count > 0) Object.assign(compliance.inputs, { heldBack: this.heldBack.count, heldBackWhy: this.heldBack.why });
    const meta = { now, commandId: `dial:${callId}`, actorId: 'dialer', actorRole: 'system' };
    const recorded = await handleCommand(this.o.store, callDecider, callId, {
      type: 'DialCall',
      data: { callId, phone, direction: 'outbound', campaignId: this.o.campaignId, attempt: attempts + 1, pass, selection: reason, compliance },
      meta,
    }).catch((e) => e);
    if (recorded instanceof DomainError || recorded instanceof Error || !compliance.allowed) {
      this.phonesInFlight.delete(phone);
      if (!compliance.allowed) this.blocked++;
      if (recorded instanceof Error) throw recorded;
      return false;
    }
    this.inFlight.set(callId, phone);
    this.o.pacer.onDial(callId);
    this.dialed++;
    await this.o.media.dial({ callId, dial: this.o.dialString(phone), timeoutSec: 25, campaignId: this.o.campaignId, leadId: phone, recording: this.o.recording?.() ?? 'always', callerId: this.o.callerId?.() });
    return true;
  }
}
