import type { CallDialAttempted, CallDialBlocked } from '../../../domain/call/events.ts';
import type { Assignee, LeadEvent } from '../../../domain/lead/events.ts';

export interface OwnerChange {
  at: string;
  change: 'assigned' | 'claimed' | 'released' | 'recycled';
  /** The owner after the change ('agent:…', 'team:…'), absent when the lead went back to the pool. */
  owner?: string;
  by?: string;
  reason?: string;
  privateUntil?: string;
}

export interface LeadDispositionEntry {
  dispositionId: string;
  code: string;
  /** Codes in order: recorded, then each correction. */
  history: string[];
  notes: string;
  callId?: string;
  agentId: string;
  campaignId?: string;
  at: string;
}

/** One lead (one customer number) as the console, the dialer and the reports read it. */
export interface LeadDoc {
  phone: string;
  name?: string;
  source?: string;
  departmentId?: string;
  batchIds: string[];
  fields: Record<string, string>;
  importedAt?: string;
  imports: number;
  assignee?: Assignee;
  holder?: { agentId: string; privateUntil: string };
  inPublicPool: boolean;
  ownerHistory: OwnerChange[];
  dnc: { reason: string; source: string; at: string; by?: string } | null;
  dispositions: LeadDispositionEntry[];
  attempts: number;
  blocked: number;
  lastDialAt?: string;
  lastCampaignId?: string;
  lastAgentId?: string;
  /** Derived: do_not_call, the last disposition code, attempted, or new. */
  status: string;
}

export type LeadsEvent = LeadEvent | CallDialAttempted | CallDialBlocked;

export const newLead = (phone: string): LeadDoc => ({
  phone,
  batchIds: [],
  fields: {},
  imports: 0,
  inPublicPool: true,
  ownerHistory: [],
  dnc: null,
  dispositions: [],
  attempts: 0,
  blocked: 0,
  status: 'new',
});

const ownerOf = (a: Assignee) => `${a.kind}:${a.id}`;

function withStatus(doc: LeadDoc): LeadDoc {
  const last = doc.dispositions.at(-1);
  doc.status = doc.dnc ? 'do_not_call' : last ? last.code : doc.attempts > 0 ? 'attempted' : 'new';
  return doc;
}

/**
 * Folds one event into a lead document. It updates the document it is given in place: the batch owns its
 * documents, and copying each one per event would cost more than the rest of the rebuild.
 */
export function evolveLeadDoc(current: LeadDoc | undefined, event: LeadsEvent): LeadDoc {
  const doc: LeadDoc = current ?? newLead((event.data as any).phone);
  switch (event.type) {
    case 'LeadImported': {
      const e = event.data;
      Object.assign(doc, { name: e.name, source: e.source, departmentId: e.departmentId, fields: { ...e.fields }, importedAt: e.at });
      doc.imports = 1;
      if (e.batchId && !doc.batchIds.includes(e.batchId)) doc.batchIds.push(e.batchId);
      break;
    }
    case 'LeadDuplicateMerged': {
      const e = event.data;
      doc.fields = { ...e.fields, ...doc.fields };
      doc.imports++;
      if (e.batchId && !doc.batchIds.includes(e.batchId)) doc.batchIds.push(e.batchId);
      break;
    }
    case 'LeadFieldsSet':
      doc.fields = { ...doc.fields, ...event.data.fields };
      break;
    case 'LeadAssigned': {
      const e = event.data;
      doc.assignee = e.assignee;
      doc.inPublicPool = false;
      doc.ownerHistory.push({ at: e.at, change: 'assigned', owner: ownerOf(e.assignee), by: e.assignedBy ?? (e.by === 'rule' ? `rule:${e.ruleId ?? ''}` : undefined), reason: e.reason });
      break;
    }
    case 'LeadClaimed': {
      const e = event.data;
      doc.holder = { agentId: e.agentId, privateUntil: e.privateUntil };
      doc.inPublicPool = false;
      doc.ownerHistory.push({ at: e.at, change: 'claimed', owner: `agent:${e.agentId}`, by: e.agentId, privateUntil: e.privateUntil });
      break;
    }
    case 'LeadReleased': {
      const e = event.data;
      doc.holder = undefined;
      doc.inPublicPool = doc.assignee === undefined;
      doc.ownerHistory.push({ at: e.at, change: 'released', owner: doc.assignee && ownerOf(doc.assignee), by: e.releasedBy ?? e.agentId, reason: e.reason });
      break;
    }
    case 'LeadRecycled': {
      const e = event.data;
      doc.holder = undefined;
      doc.assignee = undefined;
      doc.inPublicPool = true;
      doc.ownerHistory.push({ at: e.at, change: 'recycled', by: e.recycledBy, reason: e.rule });
      break;
    }
    case 'LeadDoNotCallAdded':
      doc.dnc = { reason: event.data.reason, source: event.data.source, at: event.data.at, by: event.data.addedBy };
      break;
    case 'LeadDoNotCallRemoved':
      doc.dnc = null;
      break;
    case 'LeadDispositionRecorded': {
      const e = event.data;
      doc.dispositions.push({ dispositionId: e.dispositionId, code: e.code, history: [e.code], notes: e.notes, callId: e.callId, agentId: e.agentId, campaignId: e.campaignId, at: e.at });
      doc.lastAgentId = e.agentId;
      break;
    }
    case 'LeadDispositionCorrected': {
      const e = event.data;
      const entry = doc.dispositions.find((x) => x.dispositionId === e.dispositionId);
      if (entry) {
        entry.code = e.code;
        entry.history.push(e.code);
        if (e.notes !== undefined) entry.notes = e.notes;
      }
      break;
    }
    case 'CallDialAttempted':
      doc.attempts++;
      doc.lastDialAt = event.data.at;
      doc.lastCampaignId = event.data.campaignId ?? doc.lastCampaignId;
      if (event.data.agentId) doc.lastAgentId = event.data.agentId;
      break;
    case 'CallDialBlocked':
      doc.blocked++;
      break;
    default:
      // callbacks live in their own table
      break;
  }
  return withStatus(doc);
}

export interface CallbackDoc {
  callbackId: string;
  phone: string;
  owner: string;
  dueAt: string;
  visibility: 'public' | 'private';
  note?: string;
  status: 'scheduled' | 'done' | 'missed' | 'cancelled';
  scheduledAt: string;
  closedAt?: string;
  callId?: string;
  /** Why it was cancelled, and by whom. */
  cancelReason?: string;
  cancelledBy?: string;
}

export function evolveCallback(current: CallbackDoc | undefined, event: LeadEvent): CallbackDoc | undefined {
  switch (event.type) {
    case 'LeadCallbackScheduled': {
      const e = event.data;
      return { callbackId: e.callbackId, phone: e.phone, owner: e.owner, dueAt: new Date(e.dueAt).toISOString(), visibility: e.visibility, note: e.note, status: 'scheduled', scheduledAt: e.at };
    }
    case 'LeadCallbackDone':
      return current && { ...current, status: 'done', closedAt: event.data.at, callId: event.data.callId };
    case 'LeadCallbackMissed':
      return current && { ...current, status: 'missed', closedAt: event.data.at };
    case 'LeadCallbackCancelled':
      return current && { ...current, status: 'cancelled', closedAt: event.data.at, cancelReason: event.data.reason, cancelledBy: event.data.cancelledBy };
    default:
      return current;
  }
}
