import { handleCommand } from '../commands/handleCommand.ts';
import { leadDecider } from '../domain/lead/decider.ts';
import type { EventStore, RecordedEvent, Subscription } from '../eventstore/types.ts';
import { seededRandom } from '../telephony/simulator/customers.ts';
import type { MediaServer } from '../telephony/session/mediaServer.ts';

/** What a bot writes after a conversation (the campaign's default dispositions), with shares close to a real outbound sales floor. */
const OUTCOMES: [string, number][] = [
  ['成交', 0.12],
  ['考虑中', 0.18],
  ['预约回访', 0.15],
  ['无意向', 0.45],
  ['空号', 0.1],
];

/**
 * Simulated agents: they log in and go ready through the same call session as people do; their phones
 * (user/<id> on the simulator) answer by themselves; after each conversation they record a disposition on
 * the lead, as an agent filling the form in wrap-up would.
 */
export class BotAgents {
  private readonly store: EventStore;
  private readonly media: MediaServer;
  private readonly ids: Set<string>;
  private readonly rnd = seededRandom(7);
  private readonly leadOfCall = new Map<string, { phone: string; campaignId?: string }>();
  private sub?: Subscription;
  onError: (e: unknown) => void = () => {};
  dispositions = 0;

  constructor(store: EventStore, media: MediaServer, agentIds: string[]) {
    this.store = store;
    this.media = media;
    this.ids = new Set(agentIds);
  }

  async start(): Promise<void> {
    for (const id of this.ids) {
      let r = await this.media.agentCommand(id, { type: 'LOGIN', extension: id });
      if (r?.code === 'AGENT_ALREADY_LOGGED_IN' || r) {
        // Left logged in by a previous run: log out cleanly, then in again.
        await this.media.agentCommand(id, { type: 'LOGOUT', reason: 'demo restart' });
        r = await this.media.agentCommand(id, { type: 'LOGIN', extension: id });
      }
      if (r) this.onError(r);
      const ready = await this.media.agentCommand(id, { type: 'READY' });
      if (ready) this.onError(ready);
    }
    const after = await this.store.headPosition();
    this.sub = this.store.subscribe((events) => this.observe(events), { after, filter: { eventTypes: ['CallDialAttempted', 'AgentCallEnded'] } });
    this.sub.done.catch((e) => this.onError(e));
  }

  private async observe(events: RecordedEvent[]): Promise<void> {
    for (const e of events) {
      const d = e.data as Record<string, any>;
      if (e.type === 'CallDialAttempted') this.leadOfCall.set(d.callId, { phone: d.phone, campaignId: d.campaignId });
      if (e.type === 'AgentCallEnded' && this.ids.has(d.agentId)) {
        const lead = this.leadOfCall.get(d.callId);
        if (!lead) continue;
        this.leadOfCall.delete(d.callId);
        await handleCommand(this.store, leadDecider, lead.phone, {
          type: 'RecordDisposition',
          data: { dispositionId: `disp-${d.callId}`, code: this.pick(), callId: d.callId, agentId: d.agentId, campaignId: lead.campaignId },
          meta: { now: new Date().toISOString(), commandId: `bot-disposition:${d.callId}`, actorId: d.agentId, actorRole: 'agent' },
        }).then(
          () => this.dispositions++,
          (err) => this.onError(err),
        );
      }
    }
  }

  private pick(): string {
    let x = this.rnd();
    for (const [code, p] of OUTCOMES) if ((x -= p) < 0) return code;
    return OUTCOMES[OUTCOMES.length - 1][0];
  }

  async stop(): Promise<void> {
    await this.sub?.stop();
  }
}
