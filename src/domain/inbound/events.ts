import type { DomainEvent } from '../decider.ts';

/** Where routing before the IVR sends a caller. `id`: the menu, queue or agent; voicemail may name its queue. */
export interface RouteDestination {
  kind: 'ivr' | 'queue' | 'agent' | 'voicemail' | 'reject';
  id?: string;
}

/** Local opening hours: ISO weekdays 1 (Monday) .. 7 (Sunday), 'HH:MM' to a later 'HH:MM' (end exclusive, '24:00' allowed). */
export interface OpenWindow {
  days: number[];
  start: string;
  end: string;
}

/**
 * The routing rules of a DID group (a route set): the numbers it answers (`dids`; none: every number no
 * other set claims), then blacklist, holidays, hours, known customer, DID, caller prefix, default.
 */
export interface InboundRoutes {
  dids: string[];
  timeZone: string;
  /** Caller numbers or prefixes ending in '*' (E.164) refused, besides the operator blacklist. */
  blacklist: string[];
  /** VIP callers or prefixes: they skip the line. */
  whitelist: string[];
  /** Local dates 'YYYY-MM-DD' when the floor is closed. */
  holidays: string[];
  openHours: OpenWindow[];
  closed: RouteDestination;
  byDid: Record<string, RouteDestination>;
  byCallerPrefix: { prefix: string; destination: RouteDestination }[];
  defaultDestination: RouteDestination;
  /** Send known customers to the agent they spoke with last when that agent is free. */
  stickyToLastAgent: boolean;
  /** How long a caller sent to one agent who is not free waits for them before the queue (default 20). */
  agentWaitSeconds?: number;
  /** The offer heard by a known customer whose last agent is busy (absent: asked, with the defaults). */
  agentWaitOffer?: AgentWaitOffer;
}

/**
 * A known customer whose last agent is busy is asked: 1 waits for that agent, 2 goes to the next available one.
 * No key within `timeoutSeconds` (default 5), or any other key, takes `onNoChoice` (default 'wait').
 */
export interface AgentWaitOffer {
  timeoutSeconds?: number;
  onNoChoice?: 'wait' | 'queue';
  /** An uploaded prompt (`<sha256>.wav` as POST /prompts stores it) instead of the spoken text. */
  promptFile?: string;
}

export type InboundRoutesPublished = DomainEvent<
  'InboundRoutesPublished',
  { routesId: string; at: string; version: number; routes: InboundRoutes; publishedBy?: string; departmentId?: string }
>;

export type InboundRoutesEvent = InboundRoutesPublished;
