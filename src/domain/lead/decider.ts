import type { Decider, Decision } from '../decider.ts';
import { normalizePhone } from '../phone/normalize.ts';
import { isInstant, isNonEmpty, isSupervisor, ms, reject } from '../rules.ts';
import type { AssignLead, ClaimLead, ImportLead, LeadCommand, RecycleLead, ReleaseLead } from './commands.ts';
import type { LeadEvent, LeadSource } from './events.ts';
import { decideFollowUp } from './followUp.ts';
import { activeHolder, evolveLead, initialLeadState, type LeadState } from './state.ts';
import { LEAD_CATEGORY } from './streams.ts';

const SOURCES: readonly LeadSource[] = ['file', 'missed_call', 'call_log', 'callback_list', 'api'];

function cleanFields(fields: unknown): Record<string, string> | undefined {
  if (fields === undefined) return {};
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) return undefined;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (!isNonEmpty(k) || typeof v !== 'string') return undefined;
    out[k] = v;
  }
  return out;
}

function importLead(c: ImportLead, s: LeadState): Decision<LeadEvent> {
  const d = c.data;
  const phone = normalizePhone(d.phone);
  if (!phone.ok) return reject(phone.code, phone.reason, { input: phone.input, row: d.row, batchId: d.batchId });
  if (!SOURCES.includes(d.source))
    return reject('LEAD_SOURCE_INVALID', `Unknown lead source "${d.source}"; use one of ${SOURCES.join(', ')}`);
  if (d.row !== undefined && !(Number.isInteger(d.row) && d.row > 0))
    return reject('LEAD_ROW_INVALID', 'Row must be a positive whole number');
  const fields = cleanFields(d.fields);
  if (!fields) return reject('LEAD_FIELDS_INVALID', 'Custom fields must map names to text values');
  if (s.exists && s.phone !== phone.e164) {
    return reject('LEAD_PHONE_MISMATCH', `This lead is ${s.phone}, not ${phone.e164}`, {
      expected: s.phone,
      got: phone.e164,
    });
  }
  const common = {
    phone: phone.e164,
    at: c.meta.now,
    rawPhone: d.phone,
    source: d.source,
    batchId: d.batchId,
    row: d.row,
    fields,
  };
  if (s.exists) return [{ type: 'LeadDuplicateMerged', data: common }];
  const name = d.name?.trim() || undefined;
  return [{ type: 'LeadImported', data: { ...common, name, departmentId: d.departmentId } }];
}

function assign(c: AssignLead, s: LeadState, phone: string): Decision<LeadEvent> {
  const d = c.data;
  if (!d.assignee || !['agent', 'team'].includes(d.assignee.kind) || !isNonEmpty(d.assignee.id)) {
    return reject('ASSIGNEE_INVALID', 'Assign to an agent or a team, by id');
  }
  if (d.by !== 'rule' && d.by !== 'person')
    return reject('ASSIGNMENT_BY_INVALID', 'An assignment is made by a rule or by a person');
  if (d.by === 'rule' && !isNonEmpty(d.ruleId))
    return reject('ASSIGNMENT_RULE_MISSING', 'A rule assignment names its rule');
  if (d.by === 'person' && !isNonEmpty(c.meta.actorId))
    return reject('ASSIGNMENT_ACTOR_MISSING', 'A manual assignment needs the person making it');
  if (!isNonEmpty(d.reason)) return reject('REASON_REQUIRED', 'Give a reason for the assignment');
  const holder = activeHolder(s, c.meta.now);
  const toHolder = d.assignee.kind === 'agent' && d.assignee.id === holder?.agentId;
  if (holder && !toHolder && !isSupervisor(c.meta.actorRole)) {
    return reject(
      'LEAD_CLAIMED_BY_OTHER',
      `Agent ${holder.agentId} holds this lead privately until ${holder.privateUntil}`,
      { ...holder },
    );
  }
  return [
    {
      type: 'LeadAssigned',
      data: {
        phone,
        at: c.meta.now,
        assignee: d.assignee,
        by: d.by,
        ruleId: d.ruleId,
        assignedBy: c.meta.actorId,
        reason: d.reason,
      },
    },
  ];
}

function claim(c: ClaimLead, s: LeadState, phone: string): Decision<LeadEvent> {
  const { agentId, privateUntil } = c.data;
  if (!isNonEmpty(agentId)) return reject('AGENT_REQUIRED', 'Name the agent claiming the lead');
  if (!isInstant(privateUntil) || ms(privateUntil) <= ms(c.meta.now)) {
    return reject('CLAIM_EXPIRY_INVALID', 'A private claim must end in the future');
  }
  if (s.doNotCall) return reject('LEAD_DO_NOT_CALL', `${phone} is on the do-not-call list and cannot be claimed`);
  const holder = activeHolder(s, c.meta.now);
  if (holder && holder.agentId !== agentId) {
    return reject(
      'LEAD_CLAIMED_BY_OTHER',
      `该客户已被 ${holder.agentId} 私有，至 ${holder.privateUntil} / Agent ${holder.agentId} holds this lead until ${holder.privateUntil}`,
      {
        ...holder,
      },
    );
  }
  return [{ type: 'LeadClaimed', data: { phone, at: c.meta.now, agentId, privateUntil } }];
}

function release(c: ReleaseLead, s: LeadState, phone: string): Decision<LeadEvent> {
  const { agentId, reason } = c.data;
  const holder = activeHolder(s, c.meta.now);
  if (!holder || holder.agentId !== agentId) return reject('LEAD_NOT_HELD', `Agent ${agentId} does not hold this lead`);
  const actor = c.meta.actorId;
  if (actor && actor !== agentId && !isSupervisor(c.meta.actorRole)) {
    return reject('RELEASE_FORBIDDEN', 'Only the holder or a supervisor may release a lead');
  }
  if (!isNonEmpty(reason)) return reject('REASON_REQUIRED', 'Give a reason for releasing the lead');
  return [{ type: 'LeadReleased', data: { phone, at: c.meta.now, agentId, reason, releasedBy: actor } }];
}

function recycle(c: RecycleLead, s: LeadState, phone: string): Decision<LeadEvent> {
  if (!isNonEmpty(c.data.rule)) return reject('RECYCLE_RULE_MISSING', 'Name the rule that recycles the lead');
  const holder = activeHolder(s, c.meta.now);
  if (holder && !(c.data.force && isSupervisor(c.meta.actorRole))) {
    return reject(
      'LEAD_PROTECTED',
      `Agent ${holder.agentId}'s protection runs until ${holder.privateUntil}; only a supervisor can force it`,
      {
        ...holder,
      },
    );
  }
  if (s.inPublicPool && !s.holder) return [];
  const data = {
    phone,
    at: c.meta.now,
    rule: c.data.rule,
    previousHolder: s.holder?.agentId,
    protectionExpiry: s.holder?.privateUntil,
  };
  return [{ type: 'LeadRecycled', data: { ...data, recycledBy: c.meta.actorId } }];
}

function decideLead(c: LeadCommand, s: LeadState): Decision<LeadEvent> {
  if (c.type === 'ImportLead') return importLead(c, s);
  if (!s.exists || !s.phone) return reject('LEAD_NOT_FOUND', 'No such lead; import it first');
  const phone = s.phone;
  switch (c.type) {
    case 'SetLeadFields': {
      const fields = cleanFields(c.data.fields);
      if (!fields || Object.keys(fields).length === 0)
        return reject('LEAD_FIELDS_INVALID', 'Custom fields must map names to text values');
      return [{ type: 'LeadFieldsSet', data: { phone, at: c.meta.now, fields, setBy: c.meta.actorId } }];
    }
    case 'AssignLead':
      return assign(c, s, phone);
    case 'ClaimLead':
      return claim(c, s, phone);
    case 'ReleaseLead':
      return release(c, s, phone);
    case 'RecycleLead':
      return recycle(c, s, phone);
    default:
      return decideFollowUp(c, s, phone);
  }
}

export const leadDecider: Decider<LeadCommand, LeadEvent, LeadState> = {
  category: LEAD_CATEGORY,
  initialState: initialLeadState,
  evolve: evolveLead,
  decide: decideLead,
};
