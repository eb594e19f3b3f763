import type { Assignee, CallbackVisibility, LeadEvent, LeadSource } from './events.ts';

export interface LeadCallback {
  owner: string;
  dueAt: string;
  visibility: CallbackVisibility;
  status: 'scheduled' | 'done' | 'missed' | 'cancelled';
}

export interface LeadDisposition {
  code: string;
  agentId: string;
  /** Codes in order: the recorded one, then each correction. The first is never overwritten in history. */
  history: string[];
}

export interface LeadState {
  exists: boolean;
  phone?: string;
  source?: LeadSource;
  fields: Record<string, string>;
  assignee?: Assignee;
  /** The private claim; it lapses by itself at privateUntil, so readers compare with now. */
  holder?: { agentId: string; privateUntil: string };
  inPublicPool: boolean;
  doNotCall: boolean;
  callbacks: Record<string, LeadCallback>;
  dispositions: Record<string, LeadDisposition>;
  imports: number;
}

export const initialLeadState = (): LeadState => ({
  exists: false,
  fields: {},
  inPublicPool: true,
  doNotCall: false,
  callbacks: {},
  dispositions: {},
  imports: 0,
});

export function evolveLead(state: LeadState, event: LeadEvent): LeadState {
  switch (event.type) {
    case 'LeadImported': {
      const d = event.data;
      return { ...state, exists: true, phone: d.phone, source: d.source, fields: { ...d.fields }, imports: 1 };
    }
    case 'LeadDuplicateMerged': {
      // Merging fills gaps only: what an agent already knows about the lead wins over a re-imported sheet.
      const fields = { ...event.data.fields, ...state.fields };
      return { ...state, fields, imports: state.imports + 1 };
    }
    case 'LeadFieldsSet':
      return { ...state, fields: { ...state.fields, ...event.data.fields } };
    case 'LeadAssigned':
      return { ...state, assignee: event.data.assignee, inPublicPool: false };
    case 'LeadClaimed':
      return {
        ...state,
        holder: { agentId: event.data.agentId, privateUntil: event.data.privateUntil },
        inPublicPool: false,
      };
    case 'LeadReleased':
      return { ...state, holder: undefined, inPublicPool: state.assignee === undefined };
    case 'LeadRecycled':
      return { ...state, holder: undefined, assignee: undefined, inPublicPool: true };
    case 'LeadDoNotCallAdded':
      return { ...state, doNotCall: true };
    case 'LeadDoNotCallRemoved':
      return { ...state, doNotCall: false };
    case 'LeadCallbackScheduled': {
      const d = event.data;
      const cb: LeadCallback = { owner: d.owner, dueAt: d.dueAt, visibility: d.visibility, status: 'scheduled' };
      return { ...state, callbacks: { ...state.callbacks, [d.callbackId]: cb } };
    }
    case 'LeadCallbackDone':
    case 'LeadCallbackMissed':
    case 'LeadCallbackCancelled': {
      const cb = state.callbacks[event.data.callbackId];
      if (!cb) return state;
      const status = event.type === 'LeadCallbackDone' ? 'done' : event.type === 'LeadCallbackMissed' ? 'missed' : 'cancelled';
      return { ...state, callbacks: { ...state.callbacks, [event.data.callbackId]: { ...cb, status } } };
    }
    case 'LeadDispositionRecorded': {
      const d = event.data;
      const disposition: LeadDisposition = { code: d.code, agentId: d.agentId, history: [d.code] };
      return { ...state, dispositions: { ...state.dispositions, [d.dispositionId]: disposition } };
    }
    case 'LeadDispositionCorrected': {
      const d = event.data;
      const prev = state.dispositions[d.dispositionId];
      if (!prev) return state;
      const next = { ...prev, code: d.code, history: [...prev.history, d.code] };
      return { ...state, dispositions: { ...state.dispositions, [d.dispositionId]: next } };
    }
    default:
      return state;
  }
}

/** The holder whose claim is still running at `now`, if any. */
export function activeHolder(state: LeadState, now: string): { agentId: string; privateUntil: string } | undefined {
  const h = state.holder;
  return h && Date.parse(h.privateUntil) > Date.parse(now) ? h : undefined;
}
