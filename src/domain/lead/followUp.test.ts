import { describe, expect, it } from 'vitest';
import { given } from '../testing/spec.ts';
import type { LeadCommand } from './commands.ts';
import { leadDecider } from './decider.ts';
import type { LeadEvent } from './events.ts';

const phone = '+8613800138000';
const now = '2026-03-02T02:00:00.000Z';
const later = '2026-03-05T02:00:00.000Z';
const meta = (extra: Partial<LeadCommand['meta']> = {}) => ({ now, ...extra });
const cmd = <C extends LeadCommand>(type: C['type'], data: C['data'], m: Partial<LeadCommand['meta']> = {}) =>
  ({ type, data, meta: meta(m) }) as C;

const imported: LeadEvent = {
  type: 'LeadImported',
  data: {
    phone,
    at: now,
    rawPhone: '138 0013 8000',
    source: 'file',
    batchId: 'b1',
    row: 2,
    fields: { 城市: '上海' },
    name: '张三',
  },
};
const dispositionByA: LeadEvent = {
  type: 'LeadDispositionRecorded',
  data: { phone, at: now, dispositionId: 'd1', code: 'no_answer', notes: '', agentId: 'a1', callId: 'c1' },
};

describe('lead: do-not-call', () => {
  const dnc: LeadEvent = {
    type: 'LeadDoNotCallAdded',
    data: { phone, at: now, reason: '客户投诉', source: 'call', addedBy: 'a1' },
  };
  it('adds once; adding again changes nothing', () => {
    given(leadDecider, [imported])
      .when(cmd('AddDoNotCall', { reason: '客户投诉', source: 'call' }, { actorId: 'a1' }))
      .then([dnc]);
    given(leadDecider, [imported, dnc])
      .when(cmd('AddDoNotCall', { reason: 'again', source: 'call' }))
      .thenNothingHappened();
  });

  it('only a supervisor removes it', () => {
    given(leadDecider, [imported, dnc])
      .when(cmd('RemoveDoNotCall', { reason: '误操作' }, { actorRole: 'agent' }))
      .thenRejects('DNC_REMOVAL_FORBIDDEN');
    given(leadDecider, [imported, dnc])
      .when(cmd('RemoveDoNotCall', { reason: '误操作' }, { actorRole: 'supervisor', actorId: 's1' }))
      .then([{ type: 'LeadDoNotCallRemoved', data: { phone, at: now, reason: '误操作', removedBy: 's1' } }]);
  });
});

describe('lead: callbacks', () => {
  const scheduled: LeadEvent = {
    type: 'LeadCallbackScheduled',
    data: {
      phone,
      at: now,
      callbackId: 'cb1',
      owner: 'a1',
      dueAt: '2026-03-02T06:00:00.000Z',
      visibility: 'private',
      note: '下午再打',
    },
  };
  it('schedules in the future, completes once', () => {
    given(leadDecider, [imported])
      .when(
        cmd('ScheduleCallback', {
          callbackId: 'cb1',
          owner: 'a1',
          dueAt: '2026-03-02T06:00:00.000Z',
          visibility: 'private',
          note: '下午再打',
        }),
      )
      .then([scheduled]);
    given(leadDecider, [imported, scheduled])
      .when(cmd('CompleteCallback', { callbackId: 'cb1', callId: 'c9' }))
      .then([
        { type: 'LeadCallbackDone', data: { phone, at: now, callbackId: 'cb1', callId: 'c9', doneBy: undefined } },
      ]);
    const done: LeadEvent = { type: 'LeadCallbackDone', data: { phone, at: now, callbackId: 'cb1' } };
    given(leadDecider, [imported, scheduled, done])
      .when(cmd('CompleteCallback', { callbackId: 'cb1' }))
      .thenRejects('CALLBACK_NOT_OPEN');
  });

  it('a private callback is completed only by its owner or a supervisor', () => {
    given(leadDecider, [imported, scheduled])
      .when(cmd('CompleteCallback', { callbackId: 'cb1' }, { actorId: 'a2', actorRole: 'agent' }))
      .thenRejects('CALLBACK_PRIVATE', /a1/);
    given(leadDecider, [imported, scheduled])
      .when(cmd('CompleteCallback', { callbackId: 'cb1' }, { actorId: 's1', actorRole: 'supervisor' }))
      .then((e) => expect(e[0].type).toBe('LeadCallbackDone'));
  });

  it('rejects a callback in the past and a duplicate id', () => {
    given(leadDecider, [imported])
      .when(
        cmd('ScheduleCallback', {
          callbackId: 'cb1',
          owner: 'a1',
          dueAt: '2026-03-01T00:00:00.000Z',
          visibility: 'public',
        }),
      )
      .thenRejects('CALLBACK_IN_PAST');
    given(leadDecider, [imported, scheduled])
      .when(cmd('ScheduleCallback', { callbackId: 'cb1', owner: 'a1', dueAt: later, visibility: 'public' }))
      .thenRejects('CALLBACK_EXISTS');
  });

  it('cancels a scheduled callback by its owner or a supervisor, with a reason, once', () => {
    const cancelled: LeadEvent = {
      type: 'LeadCallbackCancelled',
      data: { phone, at: now, callbackId: 'cb1', dueAt: '2026-03-02T06:00:00.000Z', owner: 'a1', reason: '客户已下单', cancelledBy: 'a1' },
    };
    given(leadDecider, [imported, scheduled])
      .when(cmd('CancelCallback', { callbackId: 'cb1', reason: ' 客户已下单 ' }, { actorId: 'a1', actorRole: 'agent' }))
      .then([cancelled]);
    given(leadDecider, [imported, scheduled])
      .when(cmd('CancelCallback', { callbackId: 'cb1', reason: '客户已下单' }, { actorId: 's1', actorRole: 'supervisor' }))
      .then((e) => expect(e[0].data).toMatchObject({ cancelledBy: 's1', owner: 'a1' }));
    given(leadDecider, [imported, scheduled])
      .when(cmd('CancelCallback', { callbackId: 'cb1', reason: '抢单' }, { actorId: 'a2', actorRole: 'agent' }))
      .thenRejects('CALLBACK_NOT_YOURS', /a1/);
    given(leadDecider, [imported, scheduled])
      .when(cmd('CancelCallback', { callbackId: 'cb1', reason: ' ' }, { actorId: 'a1', actorRole: 'agent' }))
      .thenRejects('REASON_REQUIRED');
    given(leadDecider, [imported])
      .when(cmd('CancelCallback', { callbackId: 'cb1', reason: 'x' }, { actorId: 'a1' }))
      .thenRejects('CALLBACK_NOT_FOUND');
  });

  it('refuses to cancel a callback that is done, missed or already cancelled; a cancelled one cannot be completed', () => {
    const done: LeadEvent = { type: 'LeadCallbackDone', data: { phone, at: now, callbackId: 'cb1' } };
    const missed: LeadEvent = { type: 'LeadCallbackMissed', data: { phone, at: later, callbackId: 'cb1', dueAt: later } };
    const cancelled: LeadEvent = {
      type: 'LeadCallbackCancelled',
      data: { phone, at: now, callbackId: 'cb1', dueAt: later, owner: 'a1', reason: 'x', cancelledBy: 'a1' },
    };
    for (const closed of [done, missed, cancelled])
      given(leadDecider, [imported, scheduled, closed])
        .when(cmd('CancelCallback', { callbackId: 'cb1', reason: '再取消' }, { actorId: 'a1' }))
        .thenRejects('CALLBACK_NOT_OPEN');
    given(leadDecider, [imported, scheduled, cancelled])
      .when(cmd('CompleteCallback', { callbackId: 'cb1' }, { actorId: 'a1' }))
      .thenRejects('CALLBACK_NOT_OPEN', /cancelled/);
    given(leadDecider, [imported, scheduled, cancelled])
      .when({ type: 'MarkCallbackMissed', data: { callbackId: 'cb1' }, meta: { now: later } })
      .thenRejects('CALLBACK_NOT_OPEN');
  });

  it('marks missed only after the due time', () => {
    given(leadDecider, [imported, scheduled])
      .when(cmd('MarkCallbackMissed', { callbackId: 'cb1' }))
      .thenRejects('CALLBACK_NOT_DUE');
    given(leadDecider, [imported, scheduled])
      .when({ type: 'MarkCallbackMissed', data: { callbackId: 'cb1' }, meta: { now: later } })
      .then([
        {
          type: 'LeadCallbackMissed',
          data: { phone, at: later, callbackId: 'cb1', dueAt: '2026-03-02T06:00:00.000Z' },
        },
      ]);
  });
});

describe('lead: dispositions and corrections', () => {
  it('records a disposition with code, notes, call and agent', () => {
    given(leadDecider, [imported])
      .when(cmd('RecordDisposition', { dispositionId: 'd1', code: 'no_answer', callId: 'c1', agentId: 'a1' }))
      .then([
        {
          type: 'LeadDispositionRecorded',
          data: {
            phone,
            at: now,
            dispositionId: 'd1',
            code: 'no_answer',
            notes: '',
            callId: 'c1',
            agentId: 'a1',
            campaignId: undefined,
          },
        },
      ]);
    given(leadDecider, [imported, dispositionByA])
      .when(cmd('RecordDisposition', { dispositionId: 'd1', code: 'sale', agentId: 'a1' }))
      .thenRejects('DISPOSITION_EXISTS');
  });

  it('corrects with reason and supervisor approval as a new fact; the original stays in history', () => {
    const events = given(leadDecider, [imported, dispositionByA])
      .when(
        cmd(
          'CorrectDisposition',
          { dispositionId: 'd1', code: 'callback', reason: '误选', approvedBy: 's1', approverRole: 'supervisor' },
          { actorId: 'a1' },
        ),
      )
      .then((e) =>
        expect(e[0]).toMatchObject({
          type: 'LeadDispositionCorrected',
          data: { previousCode: 'no_answer', code: 'callback', approvedBy: 's1' },
        }),
      );
    const state = [imported, dispositionByA, ...events].reduce(leadDecider.evolve, leadDecider.initialState());
    expect(state.dispositions.d1).toMatchObject({ code: 'callback', history: ['no_answer', 'callback'] });
  });

  it('rejects a correction without a supervisor approver, self-approved, or without a reason', () => {
    const base = { dispositionId: 'd1', code: 'sale', reason: 'r', approvedBy: 'a5' };
    given(leadDecider, [imported, dispositionByA])
      .when(cmd('CorrectDisposition', { ...base, approverRole: 'agent' }))
      .thenRejects('CORRECTION_NEEDS_SUPERVISOR');
    given(leadDecider, [imported, dispositionByA])
      .when(cmd('CorrectDisposition', { ...base, approvedBy: 'a1', approverRole: 'supervisor' }))
      .thenRejects('SELF_APPROVAL');
    given(leadDecider, [imported, dispositionByA])
      .when(cmd('CorrectDisposition', { ...base, reason: ' ', approverRole: 'supervisor' }))
      .thenRejects('REASON_REQUIRED');
    given(leadDecider, [imported])
      .when(cmd('CorrectDisposition', { ...base, approverRole: 'supervisor' }))
      .thenRejects('DISPOSITION_NOT_FOUND');
  });
});
