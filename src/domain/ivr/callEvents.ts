/**
 * What a caller did inside an IVR menu, recorded on the CALL stream (the menu's own stream holds only
 * its versions). `ivrStep` is the menu's rule for one input: a valid key leads to its target, a wrong
 * key or silence replays the prompt up to maxRetries times, then the node's onFailure target applies.
 */
import type { DomainEvent } from '../decider.ts';
import type { IvrNode, IvrTarget } from './events.ts';

type Base = { callId: string; at: string };

/** The caller entered `version` of the menu; they keep that version until they leave it. */
export type IvrEntered = DomainEvent<'IvrEntered', Base & { menuId: string; version: number; nodeId: string }>;
/** A key pressed at a node; `valid` says whether the node has a choice for it, `target` where it led. */
export type IvrDigitReceived = DomainEvent<
  'IvrDigitReceived',
  Base & { menuId: string; version: number; nodeId: string; digit: string; valid: boolean; target?: IvrTarget; retry?: number }
>;
/** No key within the node's timeout; `retry` counts the failed inputs at this node so far. */
export type IvrTimedOut = DomainEvent<'IvrTimedOut', Base & { menuId: string; version: number; nodeId: string; retry: number }>;
export type IvrExitReason = 'KEY_PRESSED' | 'NO_VALID_INPUT';
/** The caller left the menu for `target` (a queue, an agent, voicemail or a hangup). */
export type IvrExited = DomainEvent<'IvrExited', Base & { menuId: string; version: number; nodeId: string; target: IvrTarget; reason: IvrExitReason }>;
/** The routing named a menu no caller can enter (never published, or removed): the fallback is taken instead. */
export type IvrUnavailable = DomainEvent<'IvrUnavailable', Base & { menuId: string; reason: string; fallback: { kind: string; id?: string } }>;

export type IvrCallEvent = IvrEntered | IvrDigitReceived | IvrTimedOut | IvrExited | IvrUnavailable;
export const IVR_CALL_EVENT_TYPES: IvrCallEvent['type'][] = ['IvrEntered', 'IvrDigitReceived', 'IvrTimedOut', 'IvrExited', 'IvrUnavailable'];

export type IvrInput = { kind: 'digit'; digit: string } | { kind: 'timeout' };

export type IvrStep =
  /** Go on: to another node, or out of the menu. */
  | { kind: 'go'; target: IvrTarget; reason: IvrExitReason; valid: boolean; failures: number }
  /** Play the node's prompt again; `failures` counts wrong or missing inputs at this node. */
  | { kind: 'replay'; failures: number; valid: false };

/** One input at a node, after `failures` earlier wrong or missing inputs there. */
export function ivrStep(node: IvrNode, failures: number, input: IvrInput): IvrStep {
  const target = input.kind === 'digit' ? node.choices[input.digit] : undefined;
  if (target) return { kind: 'go', target, reason: 'KEY_PRESSED', valid: true, failures };
  const now = failures + 1;
  if (now <= node.maxRetries) return { kind: 'replay', failures: now, valid: false };
  return { kind: 'go', target: node.onFailure, reason: 'NO_VALID_INPUT', valid: false, failures: now };
}
