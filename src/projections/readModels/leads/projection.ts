import { sql } from 'slonik';
import type { LeadEvent } from '../../../domain/lead/events.ts';
import { loadDocs, saveDocs } from '../../runtime/docs.ts';
import type { Projection } from '../../runtime/types.ts';
import { evolveCallback, evolveLeadDoc, type CallbackDoc, type LeadDoc, type LeadsEvent } from './evolve.ts';

const CALLBACK_TYPES = new Set(['LeadCallbackScheduled', 'LeadCallbackDone', 'LeadCallbackMissed', 'LeadCallbackCancelled']);

/** Leads (ownership, customer data, do-not-call, dispositions, attempts) and callbacks. */
export const leadsProjection: Projection = {
  name: 'leads',
  version: 1,
  eventTypes: [
    'LeadImported', 'LeadDuplicateMerged', 'LeadFieldsSet', 'LeadAssigned', 'LeadClaimed', 'LeadReleased', 'LeadRecycled',
    'LeadDoNotCallAdded', 'LeadDoNotCallRemoved', 'LeadCallbackScheduled', 'LeadCallbackDone', 'LeadCallbackMissed', 'LeadCallbackCancelled',
    'LeadDispositionRecorded', 'LeadDispositionCorrected', 'CallDialAttempted', 'CallDialBlocked',
  ],
  tables: ['lead', 'callback'],
  createTables: (schema) => {
    const lead = sql.identifier([schema, 'lead']);
    const callback = sql.identifier([schema, 'callback']);
    return [
      sql.unsafe`CREATE TABLE IF NOT EXISTS ${lead} (
        key text PRIMARY KEY,
        doc jsonb NOT NULL,
        holder_id text GENERATED ALWAYS AS (doc #>> '{holder,agentId}') STORED,
        private_until text GENERATED ALWAYS AS (doc #>> '{holder,privateUntil}') STORED,
        assignee text GENERATED ALWAYS AS ((doc #>> '{assignee,kind}') || ':' || (doc #>> '{assignee,id}')) STORED,
        in_public_pool boolean GENERATED ALWAYS AS ((doc ->> 'inPublicPool')::boolean) STORED,
        dnc boolean GENERATED ALWAYS AS (jsonb_typeof(doc -> 'dnc') = 'object') STORED,
        department_id text GENERATED ALWAYS AS (doc ->> 'departmentId') STORED,
        status text GENERATED ALWAYS AS (doc ->> 'status') STORED,
        last_campaign_id text GENERATED ALWAYS AS (doc ->> 'lastCampaignId') STORED
      )`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['lead_holder'])} ON ${lead} (holder_id)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['lead_assignee'])} ON ${lead} (assignee)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['lead_dnc'])} ON ${lead} (key) WHERE dnc`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['lead_batches'])} ON ${lead} USING gin ((doc -> 'batchIds'))`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['lead_campaign'])} ON ${lead} (last_campaign_id, status)`,
      sql.unsafe`CREATE TABLE IF NOT EXISTS ${callback} (
        key text PRIMARY KEY,
        doc jsonb NOT NULL,
        phone text GENERATED ALWAYS AS (doc ->> 'phone') STORED,
        owner text GENERATED ALWAYS AS (doc ->> 'owner') STORED,
        due_at text GENERATED ALWAYS AS (doc ->> 'dueAt') STORED,
        status text GENERATED ALWAYS AS (doc ->> 'status') STORED
      )`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['callback_due'])} ON ${callback} (status, due_at)`,
      sql.unsafe`CREATE INDEX IF NOT EXISTS ${sql.identifier(['callback_phone'])} ON ${callback} (phone)`,
    ];
  },
  async handle(tx, events, ctx) {
    const leadTable = ctx.table('lead');
    const cbTable = ctx.table('callback');
    const leads = await loadDocs<LeadDoc>(tx, leadTable, events.map((e) => (e.data as any).phone as string));
    const cbEvents = events.filter((e) => CALLBACK_TYPES.has(e.type));
    const callbacks = await loadDocs<CallbackDoc>(tx, cbTable, cbEvents.map((e) => (e.data as any).callbackId as string));
    for (const e of events) {
      const ev = e as unknown as LeadsEvent;
      const phone = (e.data as any).phone as string;
      if (CALLBACK_TYPES.has(e.type)) {
        const id = (e.data as any).callbackId as string;
        const cb = evolveCallback(callbacks.get(id), ev as LeadEvent);
        if (cb) callbacks.set(id, cb);
        ctx.changed('callback', id);
        continue;
      }
      leads.set(phone, evolveLeadDoc(leads.get(phone), ev));
      ctx.changed('lead', phone);
    }
    await saveDocs(tx, leadTable, leads, events.filter((e) => !CALLBACK_TYPES.has(e.type)).map((e) => (e.data as any).phone));
    await saveDocs(tx, cbTable, callbacks, [...callbacks.keys()]);
  },
};
