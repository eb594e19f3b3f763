import { commandId, type Api } from './api.ts';
import { LEAD_FIELDS, type Lead } from './customer.ts';

export interface CallbackItem {
  id: string;
  dueAt: string;
  status: string;
  note: string | null;
  lead: { id: string; phone: string; phoneDisplay: string; name: string | null };
}

export interface OrderLineDraft {
  sku: string;
  name: string;
  quantity: number;
  /** fen; 0 marks a gift (赠品). */
  unitPrice: number;
}

const CALLBACKS = `query MyCallbacks($agentId: ID) { callbacks(filter: { agentId: $agentId, status: [SCHEDULED, DUE] }, first: 100) {
  nodes { id dueAt status note lead { id phone phoneDisplay name } } } }`;
const MY_CALLBACKS = `subscription { myCallbacks { position callbackId eventType dueAt } }`;
export const LEADS = `query MyLeads($ownerId: ID, $search: String) { leads(filter: { ownerId: $ownerId, search: $search }, sort: NEXT_CALLBACK_AT, direction: ASC, first: 40) {
  nodes { ${LEAD_FIELDS} } pageInfo { totalCount } } }`;
const SCHEDULE = `mutation Schedule($leadId: ID!, $dueAt: DateTime!, $note: String, $callId: ID, $commandId: ID) {
  scheduleCallback(leadId: $leadId, dueAt: $dueAt, note: $note, callId: $callId, commandId: $commandId) { position } }`;
const COMPLETE = `mutation Complete($id: ID!, $commandId: ID) { completeCallback(callbackId: $id, commandId: $commandId) { position } }`;
const ORDER = `mutation Order($leadId: ID!, $callId: ID, $lines: [OrderLineInput!]!, $note: String, $commandId: ID) {
  placeOrder(leadId: $leadId, callId: $callId, lines: $lines, note: $note, commandId: $commandId) { streamId position } }`;
const POINTS = `query OrderPoints($lines: [PointsLineInput!]!, $customerPhone: String) { orderPoints(lines: $lines, customerPhone: $customerPhone) { earned balance } }`;
const CREATE_LEAD = `mutation CreateLead($phone: String!, $name: String, $campaignId: ID!, $customFields: JSON, $commandId: ID) {
  createLead(phone: $phone, name: $name, campaignId: $campaignId, customFields: $customFields, commandId: $commandId) { position } }`;
const UPDATE_LEAD = `mutation UpdateLead($leadId: ID!, $name: String, $customFields: JSON, $commandId: ID) {
  updateLead(leadId: $leadId, name: $name, customFields: $customFields, commandId: $commandId) { position } }`;

/** Reminders start this long before a callback is due. */
export const REMIND_BEFORE_MS = 5 * 60_000;

export function orderTotal(lines: OrderLineDraft[]): number {
  return lines.reduce((sum, l) => sum + l.quantity * l.unitPrice, 0);
}

/** What an order form must satisfy before it is sent; returns message keys. */
export function orderProblems(lines: OrderLineDraft[]): ('order.empty' | 'order.badLine')[] {
  if (lines.length === 0) return ['order.empty'];
  const bad = lines.some((l) => !l.sku.trim() || !l.name.trim() || !Number.isInteger(l.quantity) || l.quantity < 1 || !Number.isInteger(l.unitPrice) || l.unitPrice < 0);
  return bad ? ['order.badLine'] : [];
}

/** The agent's own work outside the live call: callbacks with reminders, private leads, orders. */
export class MyWork {
  callbacks = $state.raw<CallbackItem[]>([]);
  leads = $state.raw<Lead[]>([]);
  leadCount = $state<number | null>(null);
  /** A failed command (order, callback, new customer): shown next to the form that sent it. */
  error = $state<string | null>(null);
  /** Lists that could not be read: shown on the list, not on the forms. */
  callbacksError = $state<string | null>(null);
  leadsError = $state<string | null>(null);
  private api: Api;
  private agentId: string;

  constructor(api: Api, agentId: string) {
    this.api = api;
    this.agentId = agentId;
  }

  /** Callbacks due within the reminder window (or overdue), soonest first. */
  reminders(now: number): CallbackItem[] {
    return this.callbacks
      .filter((c) => Date.parse(c.dueAt) - now <= REMIND_BEFORE_MS)
      .sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  }

  async loadCallbacks() {
    const d = await this.read('callbacksError', () => this.api.request(CALLBACKS, { agentId: this.agentId }));
    if (d) this.callbacks = d.callbacks.nodes;
  }

  async loadLeads(search = '') {
    const d = await this.read('leadsError', () => this.api.request(LEADS, { ownerId: this.agentId, search: search || null }));
    if (d) {
      this.leads = d.leads.nodes;
      this.leadCount = d.leads.pageInfo.totalCount;
    }
  }

  private async read<T>(slot: 'callbacksError' | 'leadsError', fn: () => Promise<T>): Promise<T | null> {
    try {
      const out = await fn();
      this[slot] = null;
      return out;
    } catch (e) {
      this[slot] = (e as Error).message;
      return null;
    }
  }

  /** Any change to my callbacks re-reads the list: it is short, and the server decides what is due. */
  start(): () => void {
    return this.api.subscribe(MY_CALLBACKS, {}, { next: () => void this.loadCallbacks(), error: () => {} });
  }

  async scheduleCallback(leadId: string, dueAt: Date, note: string, callId?: string) {
    if (Number.isNaN(dueAt.getTime())) return this.fail('callback.badTime');
    const ok = await this.guard(() => this.api.request(SCHEDULE, { leadId, dueAt: dueAt.toISOString(), note: note || null, callId, commandId: commandId() }));
    if (ok) await this.loadCallbacks();
    return ok != null;
  }

  async completeCallback(id: string) {
    const ok = await this.guard(() => this.api.request(COMPLETE, { id, commandId: commandId() }));
    if (ok) this.callbacks = this.callbacks.filter((c) => c.id !== id);
    return ok != null;
  }

  /**
   * Points the lines would earn and the customer's balance, for the order form. Informational: a failure
   * shows no points rather than an error over the form.
   */
  async orderPoints(lines: { sku: string; quantity: number }[], customerPhone: string | null): Promise<{ earned: number; balance: number | null } | null> {
    try {
      const d = await this.api.request<{ orderPoints: { earned: number; balance: number | null } }>(POINTS, { lines, customerPhone });
      return d.orderPoints;
    } catch {
      return null;
    }
  }

  /** Returns the new order's stream id, or null with `error` set (the form keeps its lines). */
  async placeOrder(leadId: string, lines: OrderLineDraft[], note: string, callId?: string): Promise<string | null> {
    if (orderProblems(lines).length) return null;
    const d = await this.guard(() => this.api.request(ORDER, { leadId, callId, lines, note: note || null, commandId: commandId() }));
    return d?.placeOrder.streamId ?? null;
  }

  async updateLead(leadId: string, name: string, customFields: Record<string, string>) {
    const d = await this.guard(() => this.api.request(UPDATE_LEAD, { leadId, name: name || null, customFields, commandId: commandId() }));
    return d != null;
  }

  /** A number nobody knows yet becomes a lead of the call's campaign (same validation and DNC checks as an import). */
  async addCustomer(phone: string, name: string, campaignId: string | null, fields: Record<string, string> = {}) {
    if (!campaignId) return this.fail('customer.needCampaign');
    const customFields = Object.fromEntries(Object.entries(fields).filter(([k]) => k.trim() && k !== 'phone' && k !== 'name'));
    const ok = await this.guard(() => this.api.request(CREATE_LEAD, { phone, name: name || null, campaignId, customFields, commandId: commandId() }));
    return ok !== null;
  }

  private fail(code: string) {
    this.error = code;
    return false;
  }

  private async guard<T>(fn: () => Promise<T>): Promise<T | null> {
    try {
      this.error = null;
      return await fn();
    } catch (e) {
      this.error = (e as Error).message;
      return null;
    }
  }
}
