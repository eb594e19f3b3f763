export { routeCall, remember } from './route.ts';
export { nextCall, positionOf, checkOverflow, serviceLevel, dispatchOrder, type OverflowDecision, type QueueOutcome, type Waiting } from './queueOrder.ts';
export { routeInbound, type Destination, type InboundCall, type InboundDecision, type InboundRules } from './inboundRouting.ts';
export type { AgentView, Candidate, QueueConfig, QueueMemory, QueueStrategy, QueuedCall, RoutingDecision } from './types.ts';
