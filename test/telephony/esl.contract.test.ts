/**
 * Contract tests of the ESL adapter. They run against the simulator by default and,
 * unchanged, against real FreeSWITCH when ESL_HOST/ESL_PORT/ESL_PASSWORD are set.
 * Only switch behaviour that a stock FreeSWITCH with freeswitch/ config also has is used here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallControl } from '../../src/telephony/esl/callControl.ts';
import { EslClient } from '../../src/telephony/esl/eslClient.ts';
import { EslCommandError, OriginateFailedError } from '../../src/telephony/esl/errors.ts';
import { eslTarget, FactLog, newId, type Target } from './support/eslTarget.ts';

let target: Target;
let client: EslClient;
let calls: CallControl;
let log: FactLog;

beforeAll(async () => {
  target = await eslTarget();
  client = await EslClient.connect({ host: target.host, port: target.port, password: target.password, commandTimeoutMs: 3000, jobTimeoutMs: 20_000 });
  calls = new CallControl(client);
  log = new FactLog(client);
});
afterAll(async () => {
  await client?.close();
  await target?.stop();
});

/** A parked, answered leg through loopback (the freeswitch/ dialplan parks every number). */
async function parkedLeg(tags = {}): Promise<string> {
  const callId = newId();
  await calls.originate({ callId, dial: 'loopback/4000/default', timeoutSec: 10, tags });
  await log.waitFor((f) => f.kind === 'parked' && f.callId === callId);
  return callId;
}

describe('ESL adapter contract', () => {
  it('originates with our call id and tags, and normalizes the lifecycle into facts', async () => {
    const callId = await parkedLeg({ campaignId: 'c-1', leadId: 'l-9', attemptId: 'a-3' });
    const created = log.of(callId).find((f) => f.kind === 'channel-created');
    expect(created).toMatchObject({ kind: 'channel-created', direction: 'outbound', tags: { campaignId: 'c-1', leadId: 'l-9', attemptId: 'a-3' } });
    expect(log.of(callId).map((f) => f.kind)).toContain('answered');
    await calls.hangup(callId, 'NORMAL_CLEARING');
    await log.waitFor((f) => f.kind === 'destroyed' && f.callId === callId);
    const kinds = log.of(callId).map((f) => f.kind);
    expect(kinds.indexOf('answered')).toBeLessThan(kinds.indexOf('hung-up'));
    expect(kinds.indexOf('hung-up')).toBeLessThan(kinds.indexOf('hangup-complete'));
    expect(kinds.at(-1)).toBe('destroyed');
    const done = log.of(callId).find((f) => f.kind === 'hangup-complete');
    expect(done).toMatchObject({ cause: 'NORMAL_CLEARING' });
  });

  it('rejects a failed originate with the hangup cause', async () => {
    const err = await calls.originate({ callId: newId(), dial: 'error/user_busy', timeoutSec: 5 }).catch((e) => e);
    expect(err).toBeInstanceOf(OriginateFailedError);
    expect(err.hangupCause).toBe('USER_BUSY');
  });

  it('bridges two legs, holds and resumes, sets and reads variables, sends DTMF', async () => {
    const a = await parkedLeg();
    const b = await parkedLeg();
    await calls.bridge(a, b);
    const bridged = await log.waitFor((f) => f.kind === 'bridged' && f.callId === a);
    expect(bridged).toMatchObject({ otherCallId: b });
    await log.waitFor((f) => f.kind === 'bridged' && f.callId === b);
    await calls.hold(a);
    await log.waitFor((f) => f.kind === 'held' && f.callId === a);
    await calls.unhold(a);
    await log.waitFor((f) => f.kind === 'resumed' && f.callId === a);
    await calls.setVar(a, 'callstream_note', 'vip');
    expect(await calls.getVar(a, 'callstream_note')).toBe('vip');
    expect(await calls.getVar(a, 'callstream_never_set')).toBeUndefined();
    await calls.sendDtmf(a, '5');
    const dtmf = await log.waitFor((f) => f.kind === 'dtmf' && f.callId === a);
    expect(dtmf).toMatchObject({ digit: '5' });
    const live = await calls.listChannels();
    expect(live.map((c) => c.callId)).toEqual(expect.arrayContaining([a, b]));
    await calls.hangup(a);
    await calls.hangup(b).catch(() => {});
    await log.waitFor((f) => f.kind === 'destroyed' && f.callId === b);
    expect(await calls.exists(a)).toBe(false);
  });

  it('records to a file and reports its path and length', async () => {
    const a = await parkedLeg();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'esl-rec-')), `${a}.wav`);
    await calls.record(a, 'start', file);
    await log.waitFor((f) => f.kind === 'recording-started' && f.callId === a);
    await new Promise((r) => setTimeout(r, 50));
    await calls.record(a, 'stop', file);
    const stopped = await log.waitFor((f) => f.kind === 'recording-stopped' && f.callId === a);
    expect(stopped).toMatchObject({ path: file });
    if (target.sim) expect(fs.statSync(file).size).toBeGreaterThan(44);
    await calls.hangup(a);
  });

  it('turns -ERR replies into EslCommandError and keeps working afterwards', async () => {
    const err = await calls.hangup(newId()).catch((e) => e);
    expect(err).toBeInstanceOf(EslCommandError);
    expect(err.reply).toBe('-ERR No such channel!');
    expect(await client.api('uuid_exists nothing')).toBe('false');
  });

  it('refuses input that would break the originate string, before sending anything', async () => {
    await expect(calls.originate({ callId: newId(), dial: 'sofia/gateway/gw/1 &park()', timeoutSec: 5 })).rejects.toThrow(/invalid dial/);
    await expect(calls.originate({ callId: newId(), dial: 'loopback/4000', timeoutSec: 5, tags: { campaignId: 'a,b}' } })).rejects.toThrow(/cannot carry/);
  });
});
