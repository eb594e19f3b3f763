import type { CallEvent } from '../../../domain/call/events.ts';
import type { LeadDispositionCorrected, LeadDispositionRecorded } from '../../../domain/lead/events.ts';
import type { OrderPlaced } from '../../../domain/order/events.ts';
import type { CallScored, ScoreDisputed, ScoreRevised } from '../../../domain/qa/events.ts';
import type { AnswersRecorded } from '../../../domain/questionnaire/events.ts';

export interface RecordingEntry {
  recordingId: string;
  file?: string;
  sha256?: string;
  durationMs?: number;
  startedAt?: string;
  stoppedAt?: string;
}

/** One call: the call detail record, its recordings, disposition, answers, QA score and orders. */
export interface CallDoc {
  callId: string;
  phone?: string;
  direction?: 'outbound' | 'inbound';
  /** The number an inbound caller dialed. */
  did?: string;
  campaignId?: string;
  /** The agent who handled the call (first bridged, else the one who dialed). */
  agentId?: string;
  agents: string[];
  queueId?: string;
  attempt?: number;
  startedAt?: string;
  answeredAt?: string;
  answeredBy?: 'human' | 'machine';
  offeredAt?: string;
  bridgedAt?: string;
  endedAt?: string;
  cause?: string;
  hangupBy?: string;
  blocked?: string[];
  abandoned?: { waitedMs: number; reason: string; at: string };
  talkMs?: number;
  holdMs: number;
  heldSince?: string;
  transfers: { at: string; from?: string; to: string; mode: string }[];
  recordings: RecordingEntry[];
  disposition?: { dispositionId: string; code: string; notes: string; agentId: string; at: string; history: string[] };
  answers: { questionnaireId: string; version: number; answers: unknown[]; at: string }[];
  qa?: { scorecardId: string; scorecardVersion: number; scores: { criterionId: string; score: number }[]; total: number; evaluatorId: string; at: string; disputed: boolean; revisions: number };
  orders: { orderId: string; totalFen: number }[];
}

export type CallDocEvent =
  | CallEvent
  | LeadDispositionRecorded
  | LeadDispositionCorrected
  | AnswersRecorded
  | CallScored
  | ScoreDisputed
  | ScoreRevised
  | OrderPlaced;

export const newCall = (callId: string): CallDoc => ({ callId, agents: [], holdMs: 0, transfers: [], recordings: [], answers: [], orders: [] });

const ms = (from: string, to: string) => Math.max(0, Date.parse(to) - Date.parse(from));

function recording(doc: CallDoc, id: string): RecordingEntry {
  let r = doc.recordings.find((x) => x.recordingId === id);
  if (!r) doc.recordings.push((r = { recordingId: id }));
  return r;
}

/** Folds one event into a call document, in place (the batch owns it). `at` is the event's time. */
export function evolveCall(current: CallDoc | undefined, event: CallDocEvent, callId: string, at: string): CallDoc {
  const doc = current ?? newCall(callId);
  switch (event.type) {
    case 'CallDialAttempted': {
      const e = event.data;
      Object.assign(doc, { phone: e.phone, direction: e.direction, campaignId: e.campaignId ?? doc.campaignId, attempt: e.attempt, startedAt: doc.startedAt ?? at });
      if (e.agentId) doc.agentId ??= e.agentId;
      break;
    }
    // An inbound call starts here: without it the CDR had no caller number or direction for inbound calls.
    case 'CallReceived':
      Object.assign(doc, { phone: event.data.phone, did: event.data.did, direction: 'inbound', startedAt: doc.startedAt ?? at });
      break;
    case 'CallDialBlocked':
      Object.assign(doc, { phone: event.data.phone, campaignId: event.data.campaignId, blocked: event.data.compliance.reasons, startedAt: doc.startedAt ?? at, endedAt: at });
      break;
    case 'CallAnswered':
      doc.answeredAt ??= at;
      doc.answeredBy = event.data.answeredBy;
      break;
    case 'CallOffered':
      doc.offeredAt ??= at;
      doc.startedAt ??= at;
      doc.direction ??= 'inbound';
      if (event.data.queueId) doc.queueId ??= event.data.queueId;
      break;
    case 'CallBridged':
      if (!doc.bridgedAt) {
        doc.bridgedAt = at;
        doc.agentId = event.data.agentId;
      }
      if (!doc.agents.includes(event.data.agentId)) doc.agents.push(event.data.agentId);
      break;
    case 'CallHeld':
      doc.heldSince ??= at;
      break;
    case 'CallResumed':
      if (doc.heldSince) doc.holdMs += ms(doc.heldSince, at);
      doc.heldSince = undefined;
      break;
    case 'CallTransferred':
      doc.transfers.push({ at, from: event.data.fromAgentId, to: `${event.data.to.kind}:${event.data.to.id}`, mode: event.data.mode });
      break;
    case 'CallRecordingStarted':
      Object.assign(recording(doc, event.data.recordingId), { file: event.data.file, startedAt: at });
      break;
    case 'CallRecordingStopped':
      Object.assign(recording(doc, event.data.recordingId), { file: event.data.file, sha256: event.data.sha256, durationMs: event.data.durationMs, stoppedAt: at });
      break;
    case 'CallEnded':
      if (!doc.endedAt) {
        doc.endedAt = at;
        doc.cause = event.data.cause;
        doc.hangupBy = event.data.hangupBy;
        if (doc.heldSince) doc.holdMs += ms(doc.heldSince, at);
        doc.heldSince = undefined;
        if (doc.bridgedAt) doc.talkMs = ms(doc.bridgedAt, at);
      }
      break;
    case 'CallAbandoned':
      doc.abandoned = { waitedMs: event.data.waitedMs, reason: event.data.reason, at };
      break;
    case 'LeadDispositionRecorded': {
      const e = event.data;
      doc.phone ??= e.phone;
      doc.campaignId ??= e.campaignId;
      doc.disposition = { dispositionId: e.dispositionId, code: e.code, notes: e.notes, agentId: e.agentId, at, history: [e.code] };
      break;
    }
    case 'LeadDispositionCorrected':
      if (doc.disposition?.dispositionId === event.data.dispositionId) {
        doc.disposition.code = event.data.code;
        doc.disposition.history.push(event.data.code);
        if (event.data.notes !== undefined) doc.disposition.notes = event.data.notes;
      }
      break;
    case 'AnswersRecorded':
      doc.phone ??= event.data.leadPhone;
      doc.answers.push({ questionnaireId: event.data.questionnaireId, version: event.data.version, answers: event.data.answers, at });
      break;
    case 'CallScored': {
      const e = event.data;
      doc.qa = { scorecardId: e.scorecardId, scorecardVersion: e.scorecardVersion, scores: e.scores, total: e.total, evaluatorId: e.evaluatorId, at, disputed: false, revisions: 0 };
      doc.agentId ??= e.agentId;
      break;
    }
    case 'ScoreDisputed':
      if (doc.qa) doc.qa.disputed = true;
      break;
    case 'ScoreRevised':
      if (doc.qa) Object.assign(doc.qa, { scores: event.data.scores, total: event.data.total, disputed: false, revisions: doc.qa.revisions + 1 });
      break;
    case 'OrderPlaced':
      if (!doc.orders.some((o) => o.orderId === event.data.orderId)) doc.orders.push({ orderId: event.data.orderId, totalFen: event.data.totalFen });
      doc.phone ??= event.data.customerPhone;
      break;
    default:
      break;
  }
  return doc;
}
