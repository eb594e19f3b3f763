import type { AgentWaitOffer, InboundRoutes, InboundRoutesPublished, RouteDestination } from '../domain/inbound/events.ts';
import { localTime, withinHours } from '../dialer/compliance/localTime.ts';

export type Destination = RouteDestination;

/** Routing before the IVR, per tenant or DID group (published as InboundRoutesPublished); `version` goes on every decision. */
export interface InboundRules extends Omit<InboundRoutes, 'dids'> {
  version: string;
  dids?: string[];
  /** The department that published the set: a known customer is kept to a last agent of it (or under it). */
  departmentId?: string;
}

/** The version a decision names: `routes-<routesId>@<version>`. */
export const routesVersion = (routesId: string, version: number): string => `routes-${routesId}@${version}`;

/**
 * The published route set that answers a called number: the one listing it (in `dids` or `byDid`), else
 * the one listing no number (the catch-all; the first by id when several). Undefined when none applies.
 */
export function rulesFor(did: string, published: InboundRoutesPublished['data'][]): InboundRules | undefined {
  const sorted = [...published].sort((a, b) => a.routesId.localeCompare(b.routesId));
  const set =
    sorted.find((p) => p.routes.dids.includes(did) || Object.hasOwn(p.routes.byDid, did)) ?? sorted.find((p) => p.routes.dids.length === 0);
  return set && { ...set.routes, version: routesVersion(set.routesId, set.version), ...(set.departmentId ? { departmentId: set.departmentId } : {}) };
}

export interface InboundCall {
  from: string;
  did: string;
  at: string;
  /**
   * From the customer read model: who they spoke with last and whether that agent is free now. `lastAgentLoggedIn`
   * false: not logged in on this desk, so there is nobody to wait for (unset: taken as logged in).
   */
  knownCustomer?: { lastAgentId: string; lastAgentFree: boolean; lastAgentLoggedIn?: boolean };
}

export interface InboundDecision {
  destination: Destination;
  /** Queue priority: VIP callers get 10, others 0. */
  priority: number;
  rule: 'blacklist' | 'holiday' | 'closed_hours' | 'sticky_agent' | 'did' | 'caller_prefix' | 'default';
  reason: string;
  /** A known customer whose agent is busy may wait for them instead of the queue. */
  offerToWaitFor?: string;
  /** With offerToWaitFor: how the caller is asked whether to wait (the route set's agentWaitOffer; {}: the defaults). */
  agentWaitOffer?: AgentWaitOffer;
  /** How long to wait for the one agent (destination agent, or offerToWaitFor) before the queue. */
  agentWaitSeconds?: number;
  /** What was known of the caller when deciding (their last agent and whether that agent was free). */
  knownCustomer?: InboundCall['knownCustomer'];
  /** `blacklist`: the operator blacklist's version (`blacklist@<position>`) when the log's list was consulted. */
  inputs: { rulesVersion: string; localTime: string; timeZone: string; whitelisted: boolean; blacklist?: string };
}

/** Lists kept in the log (the operator blacklist), read at decision time; the version goes on the decision. */
export interface InboundLists {
  blacklist?: { version: string; has(phone: string): boolean };
}

const DEFAULT_AGENT_WAIT_SECONDS = 20;

const matches = (phone: string, list: string[]) => list.some((p) => phone === p || (p.endsWith('*') && phone.startsWith(p.slice(0, -1))));

/** First matching rule wins: blacklist, holiday, hours, known customer, DID, caller prefix, default. */
export function routeInbound(call: InboundCall, rules: InboundRules, lists: InboundLists = {}): InboundDecision {
  const local = localTime(new Date(call.at), rules.timeZone);
  const whitelisted = matches(call.from, rules.whitelist);
  const inputs = { rulesVersion: rules.version, localTime: local.wall, timeZone: rules.timeZone, whitelisted, ...(lists.blacklist ? { blacklist: lists.blacklist.version } : {}) };
  const priority = whitelisted ? 10 : 0;
  const decide = (rule: InboundDecision['rule'], destination: Destination, reason: string, extra: Partial<InboundDecision> = {}): InboundDecision => ({
    destination,
    priority,
    rule,
    reason,
    inputs,
    ...(call.knownCustomer ? { knownCustomer: call.knownCustomer } : {}),
    ...extra,
    ...(destination.kind === 'agent' || extra.offerToWaitFor ? { agentWaitSeconds: rules.agentWaitSeconds ?? DEFAULT_AGENT_WAIT_SECONDS } : {}),
    ...(extra.offerToWaitFor ? { agentWaitOffer: rules.agentWaitOffer ?? {} } : {}),
  });

  // The operator's blacklist names one number on purpose: it wins over a VIP prefix; the rules' own list does not.
  if (lists.blacklist?.has(call.from)) return decide('blacklist', { kind: 'reject' }, `caller ${call.from} is on the operator blacklist (${lists.blacklist.version})`);
  if (!whitelisted && matches(call.from, rules.blacklist)) return decide('blacklist', { kind: 'reject' }, `caller ${call.from} is blacklisted`);
  const date = local.wall.slice(0, 10);
  if (rules.holidays.includes(date)) return decide('holiday', rules.closed, `${date} is a holiday`);
  if (!withinHours(local, { windows: rules.openHours, timeZonePolicy: 'campaign', timeZone: rules.timeZone })) {
    return decide('closed_hours', rules.closed, `closed at ${local.hhmm} local time`);
  }
  const known = call.knownCustomer;
  if (rules.stickyToLastAgent && known?.lastAgentFree) {
    return decide('sticky_agent', { kind: 'agent', id: known.lastAgentId }, `known customer; ${known.lastAgentId} spoke with them last and is free`);
  }
  // Waiting is offered only for an agent who is logged in: one who is not would leave the caller ringing until the deadline.
  const offer = rules.stickyToLastAgent && known && known.lastAgentLoggedIn !== false ? { offerToWaitFor: known.lastAgentId } : {};
  const byDid = rules.byDid[call.did];
  if (byDid) return decide('did', byDid, `called number ${call.did}`, offer);
  const prefix = rules.byCallerPrefix.filter((r) => call.from.startsWith(r.prefix)).sort((a, b) => b.prefix.length - a.prefix.length)[0];
  if (prefix) return decide('caller_prefix', prefix.destination, `caller prefix ${prefix.prefix}`, offer);
  return decide('default', rules.defaultDestination, 'no specific rule matched', offer);
}
