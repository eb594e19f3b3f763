/**
 * The IVR on the switch: answers the caller, pins the menu version they entered with, plays each node's
 * prompt, reads DTMF facts and follows the menu (ivrStep) until the caller leaves it for a queue, an agent,
 * voicemail or a hangup. Everything is recorded on the call stream with ids derived from the call and
 * the step, so a retried append does not record a step twice.
 *
 * The input timeout is a durable timer on the session's clock, set when the prompt has finished playing
 * and cancelled by a key or a hangup; a timer whose call is gone is refused when it fires, so a lost call
 * leaves nothing running. Work runs in the media server's queue, in order with the session's own facts.
 */
import path from 'node:path';
import { callStreamId } from '../../domain/call/streams.ts';
import { ivrStep, type IvrCallEvent, type IvrInput } from '../../domain/ivr/callEvents.ts';
import type { IvrMenu, IvrNode, IvrTarget } from '../../domain/ivr/events.ts';
import { deterministicUuid } from '../../eventstore/ids.ts';
import type { PendingTimer } from '../../scheduler/timers.ts';
import type { LiveChannel, TelephonyFact } from '../../telephony/esl/facts.ts';
import { VANISHED } from '../../telephony/recovery/reconcile.ts';
import type { MediaServer } from '../../telephony/session/mediaServer.ts';
import type { IvrMenus } from './menus.ts';

export const IVR_TIMER = 'ivr-input-timeout';

/** Where a caller goes when they leave the menu for something other than a node or a hangup. */
export type IvrExit = (callId: string, target: Exclude<IvrTarget, { kind: 'node' } | { kind: 'hangup' }>, priority: number) => Promise<void>;

export interface IvrRuntimeOptions {
  menus: IvrMenus;
  exit: IvrExit;
  /** Where uploaded prompts are stored (POST /prompts keeps `<sha256>.wav` there). */
  promptsDir: string;
}

interface InIvr {
  callId: string;
  menuId: string;
  version: number;
  menu: IvrMenu;
  node: IvrNode;
  /** Wrong or missing inputs at the current node. */
  failures: number;
  priority: number;
  enteredAtMs: number;
  /** Prompts started and not yet reported stopped; the input timeout starts when none plays. */
  playing: number;
  timerId?: string;
  /** Counts recorded steps and timers: the source of deterministic ids. */
  seq: number;
  /** Distinguishes ids after a restart resumed the call ('' before). */
  epoch: string;
  /** We hung the caller up (a hangup target): the hangup fact is ours, not an abandon. */
  hangingUp?: boolean;
}

/** A prompt as the switch plays it: an uploaded file, or the text through the switch's TTS (`say:`). */
export function promptOf(node: IvrNode, promptsDir: string): string {
  if (node.promptFile) return path.isAbsolute(node.promptFile) ? node.promptFile : path.join(promptsDir, node.promptFile);
  return `say:${node.promptText ?? ''}`;
}

export class IvrRuntime {
  private readonly server: MediaServer;
  private readonly options: IvrRuntimeOptions;
  private readonly calls = new Map<string, InIvr>();
  private readonly onFact = (f: TelephonyFact) => {
    if (!('callId' in f)) return;
    // A hangup may arrive while the call is still being received, before it is in a menu: decide in the queue.
    if (f.kind === 'hung-up' || ((f.kind === 'dtmf' || f.kind === 'playback-stopped') && this.calls.has(f.callId))) {
      void this.server.enqueue(() => this.fact(f)).catch((e) => this.server.onError(e));
    }
  };

  /**
   * After an ESL reconnect: callers whose channel the switch no longer has are gone (we missed their hangup);
   * the others may have pressed a key or finished their prompt while we were away, so they hear it again.
   */
  private readonly onReady = ({ reconnect, channels }: { reconnect: boolean; channels: LiveChannel[] }) => {
    if (!reconnect) return;
    const live = new Set(channels.map((c) => c.callId));
    void this.server
      .enqueue(async () => {
        for (const call of [...this.calls.values()]) {
          if (call.hangingUp) continue;
          if (!live.has(call.callId)) {
            await this.vanished(call);
            continue;
          }
          await this.cancelTimer(call, 'replayed after a reconnect');
          call.playing = 0;
          await this.play(call);
        }
      })
      .catch((e) => this.server.onError(e));
  };

  constructor(server: MediaServer, options: IvrRuntimeOptions) {
    this.server = server;
    this.options = options;
    server.esl.on('fact', this.onFact);
    server.esl.on('ready', this.onReady);
    server.scheduler.handleKinds([IVR_TIMER], (t) => server.enqueue(() => this.timedOut(t)));
  }

  stop(): void {
    this.server.esl.off('fact', this.onFact);
    this.server.esl.off('ready', this.onReady);
  }

  /** Callers in a menu right now. */
  inMenu(): number {
    return this.calls.size;
  }

  /**
   * Put a parked caller into the latest version of `menuId`. Call inside the media server's queue.
   * False when the menu cannot be entered (never published, or removed): nothing is done to the call.
   */
  async enter(callId: string, menuId: string, priority = 0): Promise<boolean> {
    await this.options.menus.sync();
    const live = this.options.menus.latest(menuId);
    const node = live?.menu.nodes.find((n) => n.id === live.menu.rootNodeId);
    if (!live || !node) return false;
    const call: InIvr = {
      callId, menuId, version: live.version, menu: live.menu, node, failures: 0, priority,
      enteredAtMs: this.server.clock.now(), playing: 0, seq: 0, epoch: '',
    };
    this.calls.set(callId, call);
    try {
      await this.server.esl.execute(callId, 'answer', '', true);
    } catch {
      // The caller is already gone; their hangup fact ends the IVR.
      return true;
    }
    if (!this.calls.has(callId)) return true;
    // CallAnswered through the call machine, so a queue entered later starts from an answered call.
    await this.server.recorder.call(callId, { type: 'ANSWERED', answeredBy: 'human' });
    await this.record(call, 'IvrEntered', { menuId, version: live.version, nodeId: node.id });
    await this.play(call);
    return true;
  }

  private async fact(f: Extract<TelephonyFact, { callId: string }>): Promise<void> {
    const call = this.calls.get(f.callId);
    if (!call) return;
    if (f.kind === 'hung-up') return this.hungUp(call, f.cause);
    if (f.kind === 'playback-stopped') {
      call.playing = Math.max(0, call.playing - 1);
      if (call.playing === 0 && !call.hangingUp) await this.waitForInput(call);
      return;
    }
    if (f.kind === 'dtmf' && !call.hangingUp) {
      // A key during the prompt interrupts it (barge-in), on FreeSWITCH and the simulator alike.
      if (call.playing > 0) await this.server.calls.stopMedia(call.callId).catch(() => {});
      await this.input(call, { kind: 'digit', digit: f.digit });
    }
  }

  private async timedOut(t: PendingTimer): Promise<string> {
    const call = this.calls.get(t.command.id);
    if (!call || call.timerId !== t.timerId) return 'refused: caller no longer waiting for this input';
    call.timerId = undefined;
    await this.input(call, { kind: 'timeout' });
    return 'applied';
  }

  private async input(call: InIvr, input: IvrInput): Promise<void> {
    await this.cancelTimer(call, input.kind === 'digit' ? 'key pressed' : 'timed out');
    const node = call.node;
    const step = ivrStep(node, call.failures, input);
    const at = { menuId: call.menuId, version: call.version, nodeId: node.id };
    if (input.kind === 'digit') {
      await this.record(call, 'IvrDigitReceived', {
        ...at, digit: input.digit, valid: step.valid, ...(step.valid && step.kind === 'go' ? { target: step.target } : { retry: step.failures }),
      });
    } else {
      await this.record(call, 'IvrTimedOut', { ...at, retry: step.failures });
    }
    if (step.kind === 'replay') {
      call.failures = step.failures;
      await this.play(call);
      return;
    }
    await this.follow(call, step.target, step.reason);
  }

  private async follow(call: InIvr, target: IvrTarget, reason: 'KEY_PRESSED' | 'NO_VALID_INPUT'): Promise<void> {
    if (target.kind === 'node') {
      const next = call.menu.nodes.find((n) => n.id === target.id);
      if (next) {
        call.node = next;
        call.failures = 0;
        await this.play(call);
        return;
      }
    }
    await this.record(call, 'IvrExited', { menuId: call.menuId, version: call.version, nodeId: call.node.id, target, reason });
    if (target.kind === 'hangup' || target.kind === 'node') {
      call.hangingUp = true;
      await this.server.calls.hangup(call.callId).catch(() => {});
      return;
    }
    // From here the session hosts the call (queue, voicemail): its facts are no longer ours.
    this.calls.delete(call.callId);
    await this.options.exit(call.callId, target, target.kind === 'queue' ? (target.priority ?? call.priority) : call.priority);
  }

  private async play(call: InIvr): Promise<void> {
    call.playing++;
    try {
      await this.server.esl.execute(call.callId, 'playback', promptOf(call.node, this.options.promptsDir), false);
    } catch {
      call.playing--;
      // Normally the hangup fact follows and ends the IVR; a channel the switch no longer has ends it now.
      if (!(await this.server.calls.exists(call.callId).catch(() => true))) await this.vanished(call);
    }
  }

  /** The switch lost the call without our hearing its hangup: end it, leaving no timer and no state. */
  private async vanished(call: InIvr): Promise<void> {
    if (this.calls.get(call.callId) !== call) return;
    this.calls.delete(call.callId);
    await this.cancelTimer(call, 'call vanished');
    await this.server.recorder.call(call.callId, { type: 'HANGUP', cause: VANISHED, hangupBy: 'system' });
    this.server.recorder.forget(callStreamId(call.callId));
  }

  private async waitForInput(call: InIvr): Promise<void> {
    if (call.timerId) return;
    call.seq++;
    call.timerId = `ivr-${call.callId}-${call.epoch}${call.seq}`;
    await this.server.scheduler.schedule({
      timerId: call.timerId,
      kind: IVR_TIMER,
      dueAtMs: this.server.clock.now() + call.node.timeoutSeconds * 1000,
      command: { target: 'call', id: call.callId, event: { type: 'IVR_INPUT_TIMEOUT', nodeId: call.node.id } },
    });
  }

  private async cancelTimer(call: InIvr, reason: string): Promise<void> {
    const id = call.timerId;
    call.timerId = undefined;
    if (id) await this.server.scheduler.cancel(id, reason);
  }

  /**
   * After a restart: callers the log shows inside a menu (IvrEntered, not yet out of it) whose channel the
   * session kept are taken back and hear their node's prompt again, in the version they entered with.
   * Their input timers from before are cancelled. Call inside the media server's queue, after recovery.
   */
  async resume(): Promise<string[]> {
    const resumed: string[] = [];
    for (const ep of [...this.server.endpoints.values()]) {
      if (ep.status !== 'answered' || ep.agentId || this.calls.has(ep.callId)) continue;
      const events = await this.server.store.readStream(callStreamId(ep.callId));
      const entered = events.findLast((e) => e.type === 'IvrEntered');
      if (!entered) continue;
      const after = events.slice(events.indexOf(entered) + 1);
      if (after.some((e) => ['IvrExited', 'CallQueued', 'CallEnded', 'VoicemailLeft'].includes(e.type))) continue;
      const d = entered.data as { menuId: string; version: number; nodeId: string; at: string };
      const menu = this.options.menus.version(d.menuId, d.version);
      if (!menu) continue;
      // Where the caller was: the last key that led to another node, else where they entered.
      let nodeId = d.nodeId;
      for (const e of after) if (e.type === 'IvrDigitReceived' && (e.data.target as IvrTarget | undefined)?.kind === 'node') nodeId = (e.data.target as { id: string }).id;
      const node = menu.nodes.find((n) => n.id === nodeId) ?? menu.nodes.find((n) => n.id === menu.rootNodeId)!;
      for (const t of this.server.scheduler.pendingTimers()) {
        if (t.kind === IVR_TIMER && t.command.id === ep.callId) await this.server.scheduler.cancel(t.timerId, 'IVR resumed after a restart');
      }
      this.server.endpoints.delete(ep.callId);
      this.server.legs.delete(ep.callId);
      const routed = events.find((e) => e.type === 'InboundCallRouted');
      const call: InIvr = {
        callId: ep.callId, menuId: d.menuId, version: d.version, menu, node, failures: 0,
        priority: Number(routed?.data.priority ?? 0), enteredAtMs: Date.parse(d.at), playing: 0, seq: 0, epoch: `r${events.length}.${this.server.clock.now().toString(36)}-`,
      };
      this.calls.set(ep.callId, call);
      await this.play(call);
      resumed.push(ep.callId);
    }
    return resumed;
  }

  /** The caller hung up inside the menu (an abandon, with how long they were in it), or our hangup target ended it. */
  private async hungUp(call: InIvr, cause: string): Promise<void> {
    this.calls.delete(call.callId);
    await this.cancelTimer(call, 'caller hung up');
    if (!call.hangingUp) {
      const waitedMs = this.server.clock.now() - call.enteredAtMs;
      await this.record(call, 'CallAbandoned', { waitedMs, reason: 'IN_IVR' });
    }
    await this.server.recorder.call(call.callId, { type: 'HANGUP', cause, hangupBy: call.hangingUp ? 'system' : 'caller' });
    this.server.recorder.forget(callStreamId(call.callId));
  }

  private async record(call: InIvr, type: IvrCallEvent['type'] | 'CallAbandoned', data: Record<string, unknown>): Promise<void> {
    call.seq++;
    const id = deterministicUuid(call.callId, 'ivr', call.epoch, call.seq, type);
    await this.server.recorder.note(callStreamId(call.callId), type, { callId: call.callId, ...data }, {}, id);
  }
}
