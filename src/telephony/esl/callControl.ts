/**
 * The call operations the call session needs, as FreeSWITCH API strings over EslClient.
 * Call ids are our domain call ids: we pass them as origination_uuid so every event carries them.
 */
import { randomUUID } from 'node:crypto';
import type { EslClient } from './eslClient.ts';
import { OriginateFailedError } from './errors.ts';
import { CALL_VARS, type CallTags, type LiveChannel } from './facts.ts';

export interface OriginateRequest {
  callId: string;
  /** Dial string, e.g. sofia/gateway/trunk1/8613800138000 or user/1001. */
  dial: string;
  timeoutSec: number;
  tags?: CallTags;
  callerIdNumber?: string;
  callerIdName?: string;
  /** Extra channel variables. */
  vars?: Record<string, string>;
  /** Application to run on answer; default park (the engine decides what happens next). */
  app?: string;
  /** Keep true for dialers: otherwise a 183 counts as an answer (research §2.2). */
  ignoreEarlyMedia?: boolean;
}

export type EavesdropMode = 'listen' | 'whisper' | 'barge';
export type RecordAction = 'start' | 'stop' | 'pause' | 'resume' | 'mask' | 'unmask';

const UUID_LIKE = /^[\w.-]{1,128}$/;
const DIAL = /^[\w/@.:+*#=-]{1,256}$/;

function checkId(id: string): string {
  if (!UUID_LIKE.test(id)) throw new Error(`invalid call id "${id}"`);
  return id;
}

/** One `{a=b,c=d}` block; values with spaces are quoted, characters that break the syntax are refused. */
export function varBlock(vars: Record<string, string>): string {
  const parts = Object.entries(vars).map(([k, v]) => {
    if (!/^[\w.-]+$/.test(k)) throw new Error(`invalid channel variable name "${k}"`);
    if (/[,{}[\]'\n\r^]/.test(v)) throw new Error(`channel variable ${k} has a character FreeSWITCH cannot carry: "${v}"`);
    return `${k}=${/\s/.test(v) ? `'${v}'` : v}`;
  });
  return `{${parts.join(',')}}`;
}

export class CallControl {
  readonly esl: EslClient;

  constructor(esl: EslClient) {
    this.esl = esl;
  }

  /** Resolves when the switch reports the call up (answered); rejects with OriginateFailedError(cause). */
  async originate(req: OriginateRequest): Promise<{ callId: string; jobId: string }> {
    checkId(req.callId);
    if (!DIAL.test(req.dial)) throw new Error(`invalid dial string "${req.dial}"`);
    const vars: Record<string, string> = {
      origination_uuid: req.callId,
      ignore_early_media: String(req.ignoreEarlyMedia ?? true),
      originate_timeout: String(req.timeoutSec),
      ...(req.callerIdNumber ? { origination_caller_id_number: req.callerIdNumber } : {}),
      ...(req.callerIdName ? { origination_caller_id_name: req.callerIdName } : {}),
      ...tagVars(req.tags),
      ...req.vars,
    };
    const jobId = randomUUID();
    const app = req.app ?? 'park()';
    const body = await this.esl.bgapi(`originate ${varBlock(vars)}${req.dial} &${app}`, jobId);
    if (!body.startsWith('+OK')) throw new OriginateFailedError(req.callId, body.replace(/^-ERR\s*/, '').trim() || 'NORMAL_UNSPECIFIED');
    return { callId: req.callId, jobId };
  }

  async bridge(callId: string, otherCallId: string): Promise<void> {
    await this.esl.api(`uuid_bridge ${checkId(callId)} ${checkId(otherCallId)}`);
  }

  async hangup(callId: string, cause = 'NORMAL_CLEARING'): Promise<void> {
    if (!/^[A-Z_]+$/.test(cause)) throw new Error(`invalid hangup cause "${cause}"`);
    await this.esl.api(`uuid_kill ${checkId(callId)} ${cause}`);
  }

  async transfer(callId: string, destination: string, opts: { leg?: 'bleg' | 'both'; dialplan?: string; context?: string } = {}): Promise<void> {
    if (!/^[\w+*#.-]+$/.test(destination)) throw new Error(`invalid transfer destination "${destination}"`);
    const leg = opts.leg ? ` -${opts.leg}` : '';
    const tail = [opts.dialplan, opts.context].filter(Boolean).join(' ');
    await this.esl.api(`uuid_transfer ${checkId(callId)}${leg} ${destination}${tail ? ` ${tail}` : ''}`);
  }

  async hold(callId: string): Promise<void> {
    await this.esl.api(`uuid_hold ${checkId(callId)}`);
  }

  async unhold(callId: string): Promise<void> {
    await this.esl.api(`uuid_hold off ${checkId(callId)}`);
  }

  async record(callId: string, action: RecordAction, path: string): Promise<void> {
    if (!/^[^\s]+$/.test(path)) throw new Error(`recording path must not contain spaces: "${path}"`);
    await this.esl.api(`uuid_record ${checkId(callId)} ${action} ${path}`);
  }

  /** Stop whatever the call hears (prompts, tones, queued playbacks): uuid_break ... all. */
  async stopMedia(callId: string): Promise<void> {
    await this.esl.api(`uuid_break ${checkId(callId)} all`);
  }

  async broadcast(callId: string, path: string, leg: 'aleg' | 'bleg' | 'both' = 'aleg'): Promise<void> {
    if (!/^[^\s]+$/.test(path)) throw new Error(`playback path must not contain spaces: "${path}"`);
    await this.esl.api(`uuid_broadcast ${checkId(callId)} ${path} ${leg}`);
  }

  /**
   * Call a supervisor and attach them to `targetCallId` (normally the agent leg):
   * listen hears both sides, whisper also speaks to the target only, barge speaks to both.
   */
  async eavesdrop(req: { supervisorCallId: string; supervisorDial: string; targetCallId: string; mode: EavesdropMode; timeoutSec?: number; tags?: CallTags }): Promise<void> {
    const vars: Record<string, string> = { eavesdrop_enable_dtmf: 'true', [CALL_VARS.role]: 'supervisor' };
    if (req.mode === 'whisper') vars.eavesdrop_whisper_aleg = 'true';
    const app = req.mode === 'barge' ? `three_way(${checkId(req.targetCallId)})` : `eavesdrop(${checkId(req.targetCallId)})`;
    await this.originate({ callId: req.supervisorCallId, dial: req.supervisorDial, timeoutSec: req.timeoutSec ?? 30, tags: req.tags, vars, app });
  }

  async setVar(callId: string, name: string, value: string): Promise<void> {
    if (!/^[\w.-]+$/.test(name) || /[\n\r]/.test(value)) throw new Error(`invalid variable ${name}`);
    await this.esl.api(`uuid_setvar ${checkId(callId)} ${name} ${value}`);
  }

  /** The variable's value, or undefined when unset (`_undef_`). */
  async getVar(callId: string, name: string): Promise<string | undefined> {
    if (!/^[\w.-]+$/.test(name)) throw new Error(`invalid variable ${name}`);
    const body = await this.esl.api(`uuid_getvar ${checkId(callId)} ${name}`);
    return body === '_undef_' ? undefined : body;
  }

  async exists(callId: string): Promise<boolean> {
    return (await this.esl.api(`uuid_exists ${checkId(callId)}`)).trim() === 'true';
  }

  async sendDtmf(callId: string, digits: string): Promise<void> {
    if (!/^[0-9*#A-D]+$/.test(digits)) throw new Error(`invalid DTMF digits "${digits}"`);
    await this.esl.api(`uuid_send_dtmf ${checkId(callId)} ${digits}`);
  }

  listChannels(): Promise<LiveChannel[]> {
    return this.esl.listChannels();
  }
}

function tagVars(tags: CallTags | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (tags?.campaignId) out[CALL_VARS.campaignId] = tags.campaignId;
  if (tags?.leadId) out[CALL_VARS.leadId] = tags.leadId;
  if (tags?.attemptId) out[CALL_VARS.attemptId] = tags.attemptId;
  if (tags?.role) out[CALL_VARS.role] = tags.role;
  return out;
}
