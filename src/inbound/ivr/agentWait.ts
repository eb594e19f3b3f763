/**
 * A caller routed to one agent who is not free (destination `agent`, or a known customer whose last agent
 * is busy) waits for that agent, still ringing, up to the routes' `agentWaitSeconds`: the moment the agent
 * is ready the call is offered to them (the direct offer), at the deadline the queue takes the caller.
 * The deadline is a durable timer: after a restart it still sends a live caller on to the queue.
 * Recorded on the call: CallWaitingForAgent, then CallOffered (strategy direct) or CallAgentWaitEnded.
 */
import { callStreamId } from '../../domain/call/streams.ts';
import { agentStatus } from '../../domain/machines/agentMachine.ts';
import type { PendingTimer } from '../../scheduler/timers.ts';
import type { TelephonyFact } from '../../telephony/esl/facts.ts';
import type { MediaServer } from '../../telephony/session/mediaServer.ts';

export const AGENT_WAIT_TIMER = 'inbound-agent-wait';
/** Heard as early media while waiting (the call is not answered until an agent or the queue takes it). */
export const AGENT_WAIT_PROMPT = 'say:您上次联系的坐席正在通话中，请稍候，我们将优先为您接通。Your agent is on another call; please hold, you will be put through first.';

interface Waiting {
  callId: string;
  agentId: string;
  queueId: string;
  priority: number;
  timerId: string;
  unsubscribe: () => void;
}

export interface AgentWaitOptions {
  /** Send the caller on (not yet answered): to the agent when `agentId` is given, else to the queue. */
  sendOn: (callId: string, queueId: string, priority: number, agentId?: string) => Promise<void>;
}

export class AgentWaits {
  private readonly server: MediaServer;
  private readonly options: AgentWaitOptions;
  private readonly waiting = new Map<string, Waiting>();

  constructor(server: MediaServer, options: AgentWaitOptions) {
    this.server = server;
    this.options = options;
    server.esl.on('fact', this.onFact);
    server.scheduler.handleKinds([AGENT_WAIT_TIMER], (t) => server.enqueue(() => this.timedOut(t)));
  }

  stop(): void {
    this.server.esl.off('fact', this.onFact);
    for (const w of this.waiting.values()) w.unsubscribe();
    this.waiting.clear();
  }

  /** Callers waiting for an agent now. */
  size(): number {
    return this.waiting.size;
  }

  private isFree(agentId: string): boolean {
    const live = this.server.agents.get(agentId);
    return !!live && agentStatus(live.actor.getSnapshot()) === 'ready';
  }

  /** Inside the server's queue. The caller stays unanswered (ringing) while they wait. */
  async wait(callId: string, agentId: string, queueId: string, priority: number, waitSeconds: number): Promise<void> {
    if (this.isFree(agentId)) return this.options.sendOn(callId, queueId, priority, agentId);
    const timerId = `agent-wait-${callId}`;
    const untilMs = this.server.clock.now() + waitSeconds * 1000;
    // The desk's actor tells us when the agent changes state; an agent not logged in here cannot be watched: the deadline decides.
    const live = this.server.agents.get(agentId);
    const sub = live?.actor.subscribe(() => {
      if (this.isFree(agentId)) void this.server.enqueue(() => this.agentFree(callId)).catch((e) => this.server.onError(e));
    });
    this.waiting.set(callId, { callId, agentId, queueId, priority, timerId, unsubscribe: () => sub?.unsubscribe() });
    await this.server.recorder.note(callStreamId(callId), 'CallWaitingForAgent', { callId, agentId, queueId, until: new Date(untilMs).toISOString() });
    await this.server.scheduler.schedule({
      timerId,
      kind: AGENT_WAIT_TIMER,
      dueAtMs: untilMs,
      command: { target: 'call', id: callId, event: { type: 'AGENT_WAIT_OVER', agentId, queueId, priority } },
    });
    // Tell the caller they are waiting for their agent; a caller gone already is seen by the hangup fact.
    await this.server.esl.execute(callId, 'pre_answer', '', false).catch(() => {});
    await this.server.esl.execute(callId, 'playback', AGENT_WAIT_PROMPT, false).catch(() => {});
  }

  private async agentFree(callId: string): Promise<void> {
    const w = this.waiting.get(callId);
    // Another caller may have taken the agent first (dispatch runs before us): keep waiting.
    if (!w || !this.isFree(w.agentId)) return;
    await this.end(w, 'agent free');
    await this.options.sendOn(callId, w.queueId, w.priority, w.agentId);
  }

  private async timedOut(t: PendingTimer): Promise<string> {
    const callId = t.command.id;
    const w = this.waiting.get(callId);
    const e = t.command.event as { agentId?: string; queueId?: string; priority?: number };
    if (w) await this.end(w, 'wait over');
    const queueId = w?.queueId ?? String(e.queueId ?? '');
    const agentId = w?.agentId ?? String(e.agentId ?? '');
    if (!queueId) return 'refused: no queue to send the caller to';
    await this.server.recorder.note(callStreamId(callId), 'CallAgentWaitEnded', { callId, agentId, queueId, reason: `agent ${agentId} was not free in time; queue ${queueId}` });
    // After a restart no one remembers the caller: the queue refuses one who is gone (CALL_ENDED, CALL_NOT_LIVE).
    await this.options.sendOn(callId, queueId, w?.priority ?? Number(e.priority ?? 0)).catch((err) => this.server.onError(err));
    return 'applied';
  }

  private async end(w: Waiting, why: string, stopPrompt = true): Promise<void> {
    this.waiting.delete(w.callId);
    w.unsubscribe();
    await this.server.scheduler.cancel(w.timerId, why);
    if (stopPrompt) await this.server.esl.api(`uuid_break ${w.callId} all`).catch(() => {});
  }

  private readonly onFact = (f: TelephonyFact): void => {
    if (f.kind !== 'hung-up' || !this.waiting.has(f.callId)) return;
    void this.server
      .enqueue(async () => {
        const w = this.waiting.get(f.callId);
        if (!w) return;
        await this.end(w, 'caller hung up', false);
        await this.server.recorder.call(f.callId, { type: 'HANGUP', cause: f.cause, hangupBy: 'caller' });
        this.server.recorder.forget(callStreamId(f.callId));
      })
      .catch((e) => this.server.onError(e));
  };
}
