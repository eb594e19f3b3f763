import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { CallCommand } from './commands.ts';
import { callDecider } from './decider.ts';
import type { CallEvent, ComplianceDecision } from './events.ts';

const t0 = '2026-03-02T02:00:00.000Z';
const t1 = '2026-03-02T02:00:04.000Z';
const cmd = <C extends CallCommand>(type: C['type'], data: C['data'], meta: Partial<C['meta']> = {}) =>
  ({ type, data, meta: { now: t1, ...meta } }) as C;
const sup = { actorRole: 'supervisor', actorId: 's1' };

const inputs = {
  localTime: '2026-03-02T10:00:00+08:00',
  timeZone: 'Asia/Shanghai',
  withinCallingHours: true,
  doNotCall: false,
  attempts: 0,
  maxAttempts: 3,
};
const allowed: ComplianceDecision = { allowed: true, reasons: [], inputs };
const base = { callId: 'u1', at: t0 };
const dialed: CallEvent = {
  type: 'CallDialAttempted',
  data: {
    ...base,
    phone: '+8613800138000',
    direction: 'outbound',
    campaignId: 'c1',
    agentId: undefined,
    attempt: 1,
    compliance: allowed,
  },
};
const ringing: CallEvent = { type: 'CallRinging', data: base };
const answered: CallEvent = { type: 'CallAnswered', data: { ...base, answeredBy: 'human' } };
const bridged: CallEvent = { type: 'CallBridged', data: { ...base, agentId: 'a1' } };
const recording: CallEvent = {
  type: 'CallRecordingStarted',
  data: { ...base, recordingId: 'r1', file: '/rec/u1.wav' },
};
const ended: CallEvent = { type: 'CallEnded', data: { ...base, cause: 'NORMAL_CLEARING' } };
const live = [dialed, ringing, answered, bridged];

describe('call: dialing and compliance', () => {
  it('records the dial attempt with the compliance decision and its inputs', () => {
    given(callDecider)
      .when({
        type: 'DialCall',
        data: { callId: 'u1', phone: '+8613800138000', campaignId: 'c1', compliance: allowed },
        meta: { now: t0 },
      })
      .then([dialed]);
  });

  it('records a refused dial as CallDialBlocked, and nothing can happen to it afterwards', () => {
    const refused: ComplianceDecision = {
      allowed: false,
      reasons: ['OUTSIDE_CALLING_HOURS'],
      inputs: { ...inputs, withinCallingHours: false },
    };
    const events = given(callDecider)
      .when(cmd('DialCall', { callId: 'u1', phone: '+8613800138000', compliance: refused }))
      .then((e) =>
        expect(e).toMatchObject([
          { type: 'CallDialBlocked', data: { compliance: { reasons: ['OUTSIDE_CALLING_HOURS'] } } },
        ]),
      );
    given(callDecider, events).when(cmd('MarkRinging', {})).thenRejects('CALL_BLOCKED');
  });

  it('refuses an "allowed" decision whose inputs forbid the call', () => {
    for (const bad of [{ doNotCall: true }, { withinCallingHours: false }, { attempts: 3 }]) {
      const compliance = { allowed: true, reasons: [], inputs: { ...inputs, ...bad } };
      given(callDecider)
        .when(cmd('DialCall', { callId: 'u1', phone: '+8613800138000', compliance }))
        .thenRejects('COMPLIANCE_INCONSISTENT');
    }
  });

  it('dials only normalized numbers and only once', () => {
    given(callDecider)
      .when(cmd('DialCall', { callId: 'u1', phone: '13800138000', compliance: allowed }))
      .thenRejects('PHONE_NOT_E164');
    given(callDecider, [dialed])
      .when(cmd('DialCall', { callId: 'u1', phone: '+8613800138000', compliance: allowed }))
      .thenRejects('CALL_EXISTS');
  });
});

describe('call: answer, offer, bridge', () => {
  it('has no bridge before answer', () => {
    given(callDecider, [dialed, ringing])
      .when(cmd('BridgeCall', { agentId: 'a1' }))
      .thenRejects('CALL_NOT_ANSWERED');
  });

  it('answers (human or machine), offers to candidates, bridges the winner', () => {
    given(callDecider, [dialed, ringing])
      .when(cmd('MarkAnswered', { answeredBy: 'machine', amdResult: 'MACHINE' }))
      .then([{ type: 'CallAnswered', data: { callId: 'u1', at: t1, answeredBy: 'machine', amdResult: 'MACHINE' } }]);
    given(callDecider, [dialed, ringing, answered])
      .when(cmd('OfferCall', { candidates: ['a1', 'a2'], strategy: 'longest_idle', winner: 'a1', queueId: 'q1' }))
      .then([
        {
          type: 'CallOffered',
          data: {
            callId: 'u1',
            at: t1,
            candidates: ['a1', 'a2'],
            strategy: 'longest_idle',
            winner: 'a1',
            queueId: 'q1',
          },
        },
      ]);
    given(callDecider, [dialed, ringing, answered])
      .when(cmd('OfferCall', { candidates: ['a1'], strategy: 'skills', winner: 'a9' }))
      .thenRejects('WINNER_NOT_CANDIDATE');
    given(callDecider, [dialed, ringing, answered])
      .when(cmd('BridgeCall', { agentId: 'a1' }))
      .then([bridged].map((e) => ({ ...e, data: { ...e.data, at: t1 } })) as CallEvent[]);
  });

  it('cannot bridge a second agent; transfer instead', () => {
    given(callDecider, live)
      .when(cmd('BridgeCall', { agentId: 'a2' }))
      .thenRejects('CALL_ALREADY_BRIDGED');
    given(callDecider, live)
      .when(cmd('TransferCall', { to: { kind: 'agent', id: 'a2' }, mode: 'blind' }))
      .then([
        {
          type: 'CallTransferred',
          data: { callId: 'u1', at: t1, fromAgentId: 'a1', to: { kind: 'agent', id: 'a2' }, mode: 'blind' },
        },
      ]);
  });

  it('holds and resumes only a bridged call', () => {
    given(callDecider, [dialed, ringing, answered]).when(cmd('HoldCall', {})).thenRejects('CALL_NOT_BRIDGED');
    const held: CallEvent = { type: 'CallHeld', data: base };
    given(callDecider, live)
      .when(cmd('HoldCall', {}, { actorId: 'a1' }))
      .then([{ type: 'CallHeld', data: { callId: 'u1', at: t1, by: 'a1' } }]);
    given(callDecider, [...live, held])
      .when(cmd('ResumeCall', {}))
      .then((e) => expect(e[0].type).toBe('CallResumed'));
    given(callDecider, live).when(cmd('ResumeCall', {})).thenRejects('CALL_NOT_HELD');
  });
});

describe('call: ending and abandon', () => {
  it('nothing happens after the end except closing the recording; a repeated hangup changes nothing', () => {
    given(callDecider, [...live, ended])
      .when(cmd('HoldCall', {}))
      .thenRejects('CALL_ENDED');
    given(callDecider, [...live, ended])
      .when(cmd('MarkAnswered', { answeredBy: 'human' }))
      .thenRejects('CALL_ENDED');
    given(callDecider, [...live, ended])
      .when(cmd('EndCall', { cause: 'NORMAL_CLEARING' }))
      .thenNothingHappened();
    given(callDecider, [...live, recording, ended])
      .when(cmd('StopRecording', { sha256: 'A'.repeat(64), durationMs: 4000 }))
      .then([
        {
          type: 'CallRecordingStopped',
          data: {
            callId: 'u1',
            at: t1,
            recordingId: 'r1',
            file: '/rec/u1.wav',
            sha256: 'a'.repeat(64),
            durationMs: 4000,
          },
        },
      ]);
  });

  it('a person who hangs up before an agent came is counted as abandoned, with the wait', () => {
    given(callDecider, [dialed, ringing, answered])
      .when(cmd('EndCall', { cause: 'NORMAL_CLEARING', hangupBy: 'callee' }))
      .then([
        { type: 'CallAbandoned', data: { callId: 'u1', at: t1, waitedMs: 4000, reason: 'hung_up_before_agent' } },
        { type: 'CallEnded', data: { callId: 'u1', at: t1, cause: 'NORMAL_CLEARING', hangupBy: 'callee' } },
      ]);
  });

  it('a call that reached an agent, or a machine, is not an abandon', () => {
    given(callDecider, live)
      .when(cmd('EndCall', { cause: 'NORMAL_CLEARING' }))
      .then((e) => expect(e.map((x) => x.type)).toEqual(['CallEnded']));
    const machine: CallEvent = { type: 'CallAnswered', data: { ...base, answeredBy: 'machine' } };
    given(callDecider, [dialed, machine])
      .when(cmd('EndCall', { cause: 'NORMAL_CLEARING' }))
      .then((e) => expect(e.map((x) => x.type)).toEqual(['CallEnded']));
  });

  it('the dialer abandons an answered call it has no agent for, and then it cannot be bridged', () => {
    const events = given(callDecider, [dialed, answered])
      .when(cmd('AbandonCall', { reason: 'no_agent_in_2s' }))
      .then((e) => expect(e[0].data).toMatchObject({ waitedMs: 4000 }));
    given(callDecider, [dialed, answered, ...events])
      .when(cmd('BridgeCall', { agentId: 'a1' }))
      .thenRejects('CALL_ABANDONED');
    given(callDecider, [dialed, answered, ...events])
      .when(cmd('EndCall', { cause: 'NORMAL_CLEARING' }))
      .then((e) => expect(e.map((x) => x.type)).toEqual(['CallEnded']));
  });
});

describe('call: recording, monitoring, forced hangup', () => {
  it('records, pauses (for card numbers), resumes and stops with the file hash', () => {
    given(callDecider, [dialed, ringing])
      .when(cmd('StartRecording', { recordingId: 'r1', file: '/rec/u1.wav' }))
      .thenRejects('CALL_NOT_ANSWERED');
    given(callDecider, live)
      .when(cmd('StartRecording', { recordingId: 'r1', file: '/rec/u1.wav' }))
      .then((e) => expect(e[0].type).toBe('CallRecordingStarted'));
    given(callDecider, [...live, recording])
      .when(cmd('StartRecording', { recordingId: 'r2', file: 'x' }))
      .thenRejects('RECORDING_ACTIVE');
    const paused: CallEvent = { type: 'CallRecordingPaused', data: { ...base, recordingId: 'r1' } };
    given(callDecider, [...live, recording])
      .when(cmd('PauseRecording', { reason: '银行卡号' }))
      .then((e) => expect(e[0].type).toBe('CallRecordingPaused'));
    given(callDecider, [...live, recording, paused])
      .when(cmd('PauseRecording', {}))
      .thenRejects('RECORDING_NOT_RUNNING');
    given(callDecider, [...live, recording, paused])
      .when(cmd('ResumeRecording', {}))
      .then((e) => expect(e[0].type).toBe('CallRecordingResumed'));
    given(callDecider, [...live, recording])
      .when(cmd('StopRecording', { sha256: 'not-a-hash' }))
      .thenRejects('RECORDING_HASH_INVALID');
  });

  it('lets supervisors listen, then whisper, then barge; agents may not', () => {
    given(callDecider, live)
      .when(cmd('MonitorCall', { mode: 'listen', supervisorId: 'a2' }, { actorRole: 'agent' }))
      .thenRejects('MONITOR_FORBIDDEN');
    given(callDecider, [dialed, answered])
      .when(cmd('MonitorCall', { mode: 'listen', supervisorId: 's1' }, sup))
      .thenRejects('CALL_NOT_BRIDGED');
    const listening: CallEvent = { type: 'CallMonitored', data: { ...base, mode: 'listen', supervisorId: 's1' } };
    given(callDecider, live)
      .when(cmd('MonitorCall', { mode: 'listen', supervisorId: 's1' }, sup))
      .then([{ ...listening, data: { ...listening.data, at: t1 } }] as CallEvent[]);
    given(callDecider, [...live, listening])
      .when(cmd('MonitorCall', { mode: 'listen', supervisorId: 's1' }, sup))
      .thenNothingHappened();
    given(callDecider, [...live, listening])
      .when(cmd('MonitorCall', { mode: 'barge', supervisorId: 's1' }, sup))
      .then((e) => expect(e[0].data).toMatchObject({ mode: 'barge' }));
    given(callDecider, live)
      .when(cmd('EndMonitor', { supervisorId: 's1' }))
      .thenRejects('MONITOR_NOT_ACTIVE');
  });

  it('force hang-up needs a supervisor, and says by whom and why', () => {
    given(callDecider, live)
      .when(cmd('ForceHangUp', { by: 'a2', reason: 'x' }, { actorRole: 'agent' }))
      .thenRejects('FORCE_HANGUP_FORBIDDEN');
    given(callDecider, live)
      .when(cmd('ForceHangUp', { by: 's1', reason: '辱骂客户' }, sup))
      .then([{ type: 'CallForceHungUp', data: { callId: 'u1', at: t1, by: 's1', reason: '辱骂客户' } }]);
  });
});

describe('call: inbound and evolve', () => {
  it('receives an inbound call, which rings, is answered and bridged', () => {
    const received = given(callDecider)
      .when(cmd('ReceiveCall', { callId: 'in1', phone: '+8613900139000', did: '+864008123123' }))
      .then([
        {
          type: 'CallReceived',
          data: { callId: 'in1', at: t1, phone: '+8613900139000', did: '+864008123123', direction: 'inbound' },
        },
      ]);
    given(callDecider, received)
      .when(cmd('MarkAnswered', { answeredBy: 'human' }))
      .then((e) => expect(e[0].type).toBe('CallAnswered'));
  });

  it('ignores unknown event types', () => {
    const s = callDecider.initialState();
    expect(callDecider.evolve(s, { type: 'CallTeleported', data: {} } as unknown as CallEvent)).toBe(s);
  });
});
