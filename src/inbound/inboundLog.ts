/**
 * What routing before the IVR reads from the log, folded as the log grows (never a scan per call):
 * the operator's blacklist with its version (`blacklist@<position>`, as the dialer's receipts name it),
 * the published inbound routes, and each customer's last agent (known-customer routing).
 * `catchUp()` reads only what is new, so a number blacklisted a moment ago is refused on its next call.
 */
import type { InboundRoutesPublished } from '../domain/inbound/events.ts';
import { LogFold } from '../eventstore/logFold.ts';
import type { EventStore, RecordedEvent } from '../eventstore/types.ts';

export const INBOUND_LOG_TYPES = ['NumberBlacklisted', 'NumberUnblacklisted', 'InboundRoutesPublished', 'CallReceived', 'CallDialAttempted', 'CallBridged', 'CallEnded'];

export interface ListView {
  version: string;
  has(phone: string): boolean;
}

export class InboundLog {
  private readonly log: LogFold;
  private readonly blacklisted = new Set<string>();
  private blacklistPosition = 0;
  /** Latest published routes per route set id (data as recorded). */
  private readonly routeSets = new Map<string, InboundRoutesPublished['data']>();
  /** Calls whose number we know and which have not ended: callId -> phone. */
  private readonly phones = new Map<string, string>();
  private readonly lastAgent = new Map<string, string>();

  constructor(store: EventStore) {
    this.log = new LogFold(store, INBOUND_LOG_TYPES, (e) => this.apply(e));
  }

  /** Read the log up to its head. Calls queue behind each other: one fold may serve several readers. */
  catchUp(): Promise<void> {
    return this.log.catchUp();
  }

  blacklist(): ListView {
    const black = this.blacklisted;
    return { version: `blacklist@${this.blacklistPosition}`, has: (phone) => black.has(phone) };
  }

  /** The latest published version of every route set. */
  routes(): InboundRoutesPublished['data'][] {
    return [...this.routeSets.values()];
  }

  /** The agent the number last spoke with (inbound or outbound), if any. */
  lastAgentOf(phone: string): string | undefined {
    return this.lastAgent.get(phone);
  }

  private apply(e: RecordedEvent): void {
    const d = e.data as Record<string, any>;
    switch (e.type) {
      case 'NumberBlacklisted':
        this.blacklisted.add(d.phone);
        this.blacklistPosition = e.position;
        break;
      case 'NumberUnblacklisted':
        this.blacklisted.delete(d.phone);
        this.blacklistPosition = e.position;
        break;
      case 'InboundRoutesPublished':
        this.routeSets.set(String(d.routesId), d as InboundRoutesPublished['data']);
        break;
      case 'CallReceived':
      case 'CallDialAttempted':
        if (d.callId && d.phone) this.phones.set(d.callId, d.phone);
        break;
      case 'CallBridged': {
        const phone = this.phones.get(d.callId);
        if (phone && d.agentId) this.lastAgent.set(phone, d.agentId);
        break;
      }
      case 'CallEnded':
        this.phones.delete(d.callId);
        break;
    }
  }
}
