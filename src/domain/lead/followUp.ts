import type { Decision } from '../decider.ts';
import { isInstant, isNonEmpty, isSupervisor, ms, reject } from '../rules.ts';
import type {
  AddDoNotCall,
  CancelCallback,
  CompleteCallback,
  CorrectDisposition,
  MarkCallbackMissed,
  RecordDisposition,
  RemoveDoNotCall,
  ScheduleCallback,
} from './commands.ts';
import type { LeadEvent } from './events.ts';
import type { LeadState } from './state.ts';

type FollowUp =
  | AddDoNotCall
  | RemoveDoNotCall
  | ScheduleCallback
  | CompleteCallback
  | MarkCallbackMissed
  | CancelCallback
  | RecordDisposition
  | CorrectDisposition;

/** Do-not-call, callbacks and dispositions: what happens to a lead after (or instead of) a call. */
export function decideFollowUp(c: FollowUp, s: LeadState, phone: string): Decision<LeadEvent> {
  const at = c.meta.now;
  switch (c.type) {
    case 'AddDoNotCall':
      if (!isNonEmpty(c.data.reason) || !isNonEmpty(c.data.source))
        return reject('REASON_REQUIRED', 'Give the reason and source of the do-not-call request');
      if (s.doNotCall) return [];
      return [
        {
          type: 'LeadDoNotCallAdded',
          data: { phone, at, reason: c.data.reason, source: c.data.source, addedBy: c.meta.actorId },
        },
      ];
    case 'RemoveDoNotCall':
      if (!s.doNotCall) return [];
      // Calling someone who asked not to be called is a complaint and a fine: only supervisors lift it.
      if (!isSupervisor(c.meta.actorRole))
        return reject('DNC_REMOVAL_FORBIDDEN', 'Only a supervisor may take a number off the do-not-call list');
      if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', 'Give a reason for lifting do-not-call');
      return [{ type: 'LeadDoNotCallRemoved', data: { phone, at, reason: c.data.reason, removedBy: c.meta.actorId } }];
    case 'ScheduleCallback': {
      const d = c.data;
      if (!isNonEmpty(d.callbackId)) return reject('CALLBACK_ID_REQUIRED', 'A callback needs an id');
      if (s.callbacks[d.callbackId]) return reject('CALLBACK_EXISTS', `Callback ${d.callbackId} already exists`);
      if (!isNonEmpty(d.owner)) return reject('CALLBACK_OWNER_REQUIRED', 'A callback needs an owner');
      if (d.visibility !== 'public' && d.visibility !== 'private')
        return reject('CALLBACK_VISIBILITY_INVALID', 'A callback is public or private');
      if (!isInstant(d.dueAt) || ms(d.dueAt) <= ms(at))
        return reject('CALLBACK_IN_PAST', 'A callback must be due in the future');
      if (s.doNotCall) return reject('LEAD_DO_NOT_CALL', `${phone} is on the do-not-call list`);
      return [
        {
          type: 'LeadCallbackScheduled',
          data: {
            phone,
            at,
            callbackId: d.callbackId,
            owner: d.owner,
            dueAt: d.dueAt,
            visibility: d.visibility,
            note: d.note,
          },
        },
      ];
    }
    case 'CancelCallback':
      return cancelCallback(c, s, phone);
    case 'CompleteCallback':
    case 'MarkCallbackMissed': {
      const id = c.data.callbackId;
      const cb = s.callbacks[id];
      if (!cb) return reject('CALLBACK_NOT_FOUND', `No callback ${id} on this lead`);
      if (cb.status !== 'scheduled') return reject('CALLBACK_NOT_OPEN', `Callback ${id} is already ${cb.status}`);
      if (c.type === 'CompleteCallback') {
        // A private callback is the owner's promise to the customer; colleagues do not take it over.
        const actor = c.meta.actorId;
        if (cb.visibility === 'private' && actor && actor !== cb.owner && !isSupervisor(c.meta.actorRole)) {
          return reject('CALLBACK_PRIVATE', `Callback ${id} is private to ${cb.owner}`, { owner: cb.owner });
        }
        return [
          {
            type: 'LeadCallbackDone',
            data: { phone, at, callbackId: id, callId: c.data.callId, doneBy: c.meta.actorId },
          },
        ];
      }
      if (ms(at) <= ms(cb.dueAt))
        return reject('CALLBACK_NOT_DUE', `Callback ${id} is due at ${cb.dueAt}; it cannot be missed yet`);
      return [{ type: 'LeadCallbackMissed', data: { phone, at, callbackId: id, dueAt: cb.dueAt } }];
    }
    case 'RecordDisposition': {
      const d = c.data;
      if (!isNonEmpty(d.dispositionId)) return reject('DISPOSITION_ID_REQUIRED', 'A disposition needs an id');
      if (s.dispositions[d.dispositionId])
        return reject('DISPOSITION_EXISTS', `Disposition ${d.dispositionId} is already recorded; correct it instead`);
      if (!isNonEmpty(d.code)) return reject('DISPOSITION_CODE_REQUIRED', 'Choose a disposition code');
      if (!isNonEmpty(d.agentId)) return reject('AGENT_REQUIRED', 'A disposition names its agent');
      return [
        {
          type: 'LeadDispositionRecorded',
          data: {
            phone,
            at,
            dispositionId: d.dispositionId,
            code: d.code,
            notes: d.notes ?? '',
            callId: d.callId,
            agentId: d.agentId,
            campaignId: d.campaignId,
          },
        },
      ];
    }
    case 'CorrectDisposition': {
      const d = c.data;
      const prev = s.dispositions[d.dispositionId];
      if (!prev) return reject('DISPOSITION_NOT_FOUND', `No disposition ${d.dispositionId} on this lead`);
      if (!isNonEmpty(d.code)) return reject('DISPOSITION_CODE_REQUIRED', 'Choose the corrected disposition code');
      if (!isNonEmpty(d.reason)) return reject('REASON_REQUIRED', 'A correction needs a reason');
      if (!isNonEmpty(d.approvedBy) || !isSupervisor(d.approverRole)) {
        return reject('CORRECTION_NEEDS_SUPERVISOR', 'A disposition correction must be approved by a supervisor');
      }
      if (d.approvedBy === prev.agentId)
        return reject('SELF_APPROVAL', 'The agent who recorded a disposition cannot approve its correction');
      if (d.code === prev.code && d.notes === undefined)
        return reject('DISPOSITION_UNCHANGED', `The disposition is already ${prev.code}`);
      return [
        {
          type: 'LeadDispositionCorrected',
          data: {
            phone,
            at,
            dispositionId: d.dispositionId,
            previousCode: prev.code,
            code: d.code,
            notes: d.notes,
            reason: d.reason,
            correctedBy: c.meta.actorId,
            approvedBy: d.approvedBy,
            approverRole: d.approverRole,
          },
        },
      ];
    }
  }
}

/**
 * A callback is the owner's promise; only they, or a supervisor, withdraw it, and say why. A done, missed or
 * already cancelled callback has nothing left to cancel.
 */
function cancelCallback(c: CancelCallback, s: LeadState, phone: string): Decision<LeadEvent> {
  const id = c.data.callbackId;
  const cb = s.callbacks[id];
  if (!cb) return reject('CALLBACK_NOT_FOUND', `没有回访 ${id} / No callback ${id} on this lead`);
  if (cb.status !== 'scheduled')
    return reject('CALLBACK_NOT_OPEN', `回访 ${id} 已${cb.status} / Callback ${id} is already ${cb.status}`, { status: cb.status });
  const actor = c.meta.actorId;
  if (actor !== cb.owner && !isSupervisor(c.meta.actorRole))
    return reject('CALLBACK_NOT_YOURS', `回访 ${id} 属于 ${cb.owner} / Only ${cb.owner} or a supervisor may cancel callback ${id}`, { owner: cb.owner });
  if (!isNonEmpty(c.data.reason)) return reject('REASON_REQUIRED', '请填写取消原因 / Give a reason for cancelling the callback');
  return [
    {
      type: 'LeadCallbackCancelled',
      data: { phone, at: c.meta.now, callbackId: id, dueAt: cb.dueAt, owner: cb.owner, reason: c.data.reason.trim(), cancelledBy: actor },
    },
  ];
}
